import { RpcClient } from '@barback/messaging';
import fp from 'fastify-plugin';

export interface WorkerPing {
  lastOkAt: Date | null;
  lastError: string | null;
}

/**
 * One broker connection and one reply queue for the whole process. A ping
 * through the request queue every few seconds tells /readyz when a worker
 * last answered, so an operator sees at once whether workers are consuming.
 */
export default fp(
  async (fastify) => {
    const { config } = fastify;
    const rpc = new RpcClient({
      urls: config.amqpUrls,
      logger: fastify.log.child({ component: 'rpc' }),
      timeoutMs: config.rpcTimeoutMs,
      connectionName: `front-end ${process.pid}`,
    });
    const workerPing: WorkerPing = { lastOkAt: null, lastError: null };
    fastify.decorate('rpc', rpc);
    fastify.decorate('workerPing', workerPing);
    rpc.start();

    let timer: NodeJS.Timeout | null = null;
    const ping = async () => {
      if (!rpc.isConnected()) {
        workerPing.lastError = 'broker not connected';
        return;
      }
      try {
        await rpc.call('system.ping', {}, { timeoutMs: 2000 });
        workerPing.lastOkAt = new Date();
        workerPing.lastError = null;
      } catch (err) {
        workerPing.lastError = (err as Error).message;
      }
    };
    if (config.workerPingIntervalMs > 0) {
      const loop = () => {
        timer = setTimeout(() => void ping().finally(loop), config.workerPingIntervalMs);
        timer.unref();
      };
      fastify.addHook('onReady', async () => {
        void ping();
        loop();
      });
    }

    fastify.addHook('onClose', async () => {
      if (timer) clearTimeout(timer);
      await rpc.close();
    });
  },
  { name: 'rpc' },
);
