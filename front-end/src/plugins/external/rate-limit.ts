import rateLimit, { type RateLimitOptions } from '@fastify/rate-limit';
import fp from 'fastify-plugin';

declare module 'fastify' {
  interface FastifyInstance {
    /**
     * The route `config` of every route that takes a password (register,
     * login, password changes; API and pages): AUTH_RATE_LIMIT_PER_MINUTE per
     * IP. Each route still counts on its own.
     */
    authRateLimit: { rateLimit: RateLimitOptions };
  }
}

/**
 * Per-IP limits on the routes that take a password only (`config:
 * fastify.authRateLimit` on each). Counts are per replica; the per-account
 * lock-out that must hold across replicas is in the database.
 */
export default fp(async (fastify) => {
  await fastify.register(rateLimit, { global: false });
  fastify.decorate('authRateLimit', { rateLimit: { max: fastify.config.authRateLimitPerMinute, timeWindow: '1 minute' } });
}, { name: 'rate-limit' });
