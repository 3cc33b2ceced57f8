import rateLimit from '@fastify/rate-limit';
import fp from 'fastify-plugin';

/**
 * Per-IP limits on the login and register routes only (`config.rateLimit` on
 * each). Counts are per replica; the per-account lock-out that must hold
 * across replicas is in the database.
 */
export default fp(async (fastify) => {
  await fastify.register(rateLimit, { global: false });
}, { name: 'rate-limit' });
