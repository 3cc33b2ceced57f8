import type { FastifyPluginAsync } from 'fastify';

const health: FastifyPluginAsync = async (fastify) => {
  fastify.get('/healthz', { schema: { hide: true } }, async () => ({ status: 'ok' }));

  /** Ready while the broker connection works; the body says when a worker last answered. */
  fastify.get('/readyz', { schema: { hide: true } }, async (_request, reply) => {
    const connected = fastify.rpc.isConnected();
    return reply.code(connected ? 200 : 503).send({
      status: connected ? 'ready' : 'broker unavailable',
      broker: connected ? 'connected' : 'disconnected',
      lastWorkerReplyAt: fastify.workerPing.lastOkAt?.toISOString() ?? null,
      lastAnyReplyAt: fastify.rpc.lastReplyAt?.toISOString() ?? null,
      lastPingError: fastify.workerPing.lastError,
    });
  });
};

export default health;
