import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyInstance } from 'fastify';
import app from './app.js';
import type { FrontEndConfig } from './config.js';
import './types.js';

const REQUEST_ID = /^[A-Za-z0-9._-]{8,64}$/;

/** Builds the server the same way for the process and for tests. */
export async function buildServer(config: FrontEndConfig, loggerOptions: object | false = { level: config.logLevel }): Promise<FastifyInstance> {
  const fastify = Fastify({
    logger: loggerOptions === false ? false : { ...loggerOptions, base: { service: 'front-end' }, redact: ['req.headers.cookie', 'req.headers["x-csrf-token"]'] },
    trustProxy: config.trustProxy,
    // The correlation id on every log line: the caller's x-request-id when it looks sane, else a new one.
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
    bodyLimit: 64 * 1024,
    connectionTimeout: 30_000,
    requestTimeout: 30_000,
  });
  fastify.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  await fastify.register(app, { config });
  return fastify;
}
