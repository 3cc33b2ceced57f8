import rateLimit, { type RateLimitOptions } from '@fastify/rate-limit';
import type { FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';

declare module 'fastify' {
  interface FastifyInstance {
    /**
     * The route `config` of every route that takes a password (register,
     * login, password changes; API and pages): AUTH_RATE_LIMIT_PER_MINUTE per
     * IP. Each route counts on its own, except the logins and the registers (below).
     */
    authRateLimit: { rateLimit: RateLimitOptions };
    /**
     * onRequest hook of the API's and the page's login: one count for both,
     * AUTH_RATE_LIMIT_PER_MINUTE per address (a route's `config` limit would
     * count each route apart, and let an address try twice as often).
     */
    loginRateLimit: (request: FastifyRequest, reply: FastifyReply) => Promise<unknown>;
    /** The same for the API's and the page's register. */
    registerRateLimit: (request: FastifyRequest, reply: FastifyReply) => Promise<unknown>;
  }
}

/**
 * Per-IP limits on the routes that take a password only (`config:
 * fastify.authRateLimit` on each). Counts are per replica; the per-account
 * lock-out that must hold across replicas is in the database.
 */
export default fp(async (fastify) => {
  await fastify.register(rateLimit, { global: false });
  const limit = { max: fastify.config.authRateLimitPerMinute, timeWindow: '1 minute' };
  fastify.decorate('authRateLimit', { rateLimit: limit });
  // One handler, and so one store, per pair of routes.
  fastify.decorate('loginRateLimit', fastify.rateLimit(limit));
  fastify.decorate('registerRateLimit', fastify.rateLimit(limit));
}, { name: 'rate-limit' });
