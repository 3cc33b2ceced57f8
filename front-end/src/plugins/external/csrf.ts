import csrf from '@fastify/csrf-protection';
import type { FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';

declare module 'fastify' {
  interface FastifyInstance {
    /**
     * csrfProtection as a function property: @fastify/csrf-protection types
     * it as a method, which a route cannot hand on without typescript-eslint's
     * unbound-method error, though it uses no `this`.
     */
    checkCsrf: (request: FastifyRequest, reply: FastifyReply, done: () => void) => void;
  }
}

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
    fastify.decorate('checkCsrf', (request: FastifyRequest, reply: FastifyReply, done: () => void) => {
      fastify.csrfProtection(request, reply, done);
    });
  },
  { name: 'csrf', dependencies: ['session'] },
);
