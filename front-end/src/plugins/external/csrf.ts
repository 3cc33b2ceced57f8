import csrf from '@fastify/csrf-protection';
import type { FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';

/** Forms send `_csrf`; API clients send the token from register/login in `x-csrf-token`. */
function getToken(request: FastifyRequest): string | undefined {
  const header = request.headers['x-csrf-token'];
  if (typeof header === 'string' && header) return header;
  const body = request.body as { _csrf?: unknown } | undefined;
  return typeof body?._csrf === 'string' ? body._csrf : undefined;
}

export default fp(
  async (fastify) => {
    await fastify.register(csrf, { sessionPlugin: '@fastify/secure-session', getToken });
  },
  { name: 'csrf', dependencies: ['session'] },
);
