import { Errors } from '@barback/messaging';
import type { FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { AuthService } from '../../services/auth.js';

declare module 'fastify' {
  interface FastifyInstance {
    auth: AuthService;
    /** preValidation hook for API routes: 401 without a session. */
    requireUser(request: FastifyRequest, reply: FastifyReply): Promise<void>;
    /** preValidation hook for pages: back to the login page without a session. */
    requireUserPage(request: FastifyRequest, reply: FastifyReply): Promise<void>;
  }
}

export default fp(async (fastify) => {
  fastify.decorate('auth', new AuthService(fastify.rpc, fastify.passwords));
  fastify.decorate('requireUser', async (request: FastifyRequest) => {
    if (!request.session.get('user')) throw new Errors.notAuthenticated();
  });
  fastify.decorate('requireUserPage', async (request: FastifyRequest, reply: FastifyReply) => {
    if (!request.session.get('user')) return reply.redirect('/login', 303);
  });
}, { name: 'auth', dependencies: ['rpc', 'passwords'] });
