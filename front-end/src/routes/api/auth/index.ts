import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync } from 'fastify';
import { endSession, startSession } from '../../../services/auth.js';
import { writeOptions } from '../../../services/calls.js';
import { changePassword } from '../../../services/password-change.js';
import { changePasswordSchema, loginSchema, logoutSchema, meSchema, registerSchema } from './schemas.js';

/**
 * register and login are exempt from CSRF: they create the session rather than
 * act on one, and a cross-site form cannot send their JSON content type.
 */
const authApi: FastifyPluginAsync = async (fastify) => {
  const api = fastify.withTypeProvider<TypeBoxTypeProvider>();

  api.post('/register', { schema: registerSchema, config: fastify.authRateLimit }, async (request, reply) => {
    const session = await fastify.auth.register(request, request.body);
    startSession(request, session);
    return reply.code(201).send({ csrfToken: await reply.generateCsrf(), ...session });
  });

  api.post('/login', { schema: loginSchema, config: fastify.authRateLimit }, async (request, reply) => {
    const session = await fastify.auth.login(request, request.body.email, request.body.password);
    startSession(request, session);
    return reply.send({ csrfToken: await reply.generateCsrf(), ...session });
  });

  api.post(
    '/logout',
    { schema: logoutSchema, preValidation: [fastify.csrfProtection, fastify.requireUser] },
    async (request, reply) => {
      endSession(request);
      // The schema says null: Fastify sends no body with a 204 either way.
      return reply.code(204).send(null);
    },
  );

  api.get('/me', { schema: meSchema, preValidation: fastify.requireUser }, async (request) => fastify.auth.me(request));

  // Rate-limited like login: a stolen cookie must not become a way to guess the current password.
  api.post(
    '/password',
    { schema: changePasswordSchema, preValidation: [fastify.csrfProtection, fastify.requireUser], config: fastify.authRateLimit },
    async (request) => changePassword(fastify.rpc, fastify.passwords, request, request.body, writeOptions(request)),
  );
};

export default authApi;
