import { randomUUID } from 'node:crypto';
import Fastify, { LogController, type FastifyInstance } from 'fastify';
import app from './app.js';
import type { FrontEndConfig } from './config.js';
import { TRUSTED_PROXIES } from './services/client-address.js';
import { frameworkError } from './plugins/app/error-handler.js';
import './types.js';

const REQUEST_ID = /^[A-Za-z0-9._-]{8,64}$/;

/** Builds the server the same way for the process and for tests. */
export async function buildServer(config: FrontEndConfig, loggerOptions: object | false = { level: config.logLevel }): Promise<FastifyInstance> {
  const fastify = Fastify({
    logger: loggerOptions === false ? false : { ...loggerOptions, base: { service: 'front-end' }, redact: ['req.headers.cookie', 'req.headers["x-csrf-token"]'] },
    // Only a proxy on a private or loopback address is believed (services/client-address.ts).
    trustProxy: config.trustProxy ? TRUSTED_PROXIES : false,
    // The router's own refusals (414, a malformed URL) in the one error shape.
    frameworkErrors: frameworkError,
    // The correlation id on every log line: the caller's x-request-id when it looks sane, else a new one.
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
    // The onResponse hook below writes the one line per request.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: 64 * 1024,
    connectionTimeout: 30_000,
    requestTimeout: 30_000,
  });
  fastify.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  // One line per request, written once the answer is known, instead of Fastify's
  // two (received, completed): half the log work on the hot path.
  fastify.addHook('onResponse', async (request, reply) => {
    request.log.info(
      { method: request.method, url: request.url, statusCode: reply.statusCode, ms: Math.round(reply.elapsedTime * 100) / 100 },
      'request',
    );
  });
  await fastify.register(app, { config });
  return fastify;
}
