import type { FastifyPluginAsync } from 'fastify';
import { endSession, startSession } from '../../../services/auth.js';
import { writeOptions } from '../../../services/calls.js';
import { changePassword } from '../../../services/password-change.js';
import { changePasswordSchema, loginSchema, logoutSchema, meSchema, registerSchema, type ChangePasswordBodyType } from './schemas.js';

interface RegisterBody { venueName: string; name: string; email: string; password: string }
interface LoginBody { email: string; password: string }

/**
 * register and login are exempt from CSRF: they create the session rather than
 * act on one, and a cross-site form cannot send their JSON content type.
 */
const authApi: FastifyPluginAsync = async (fastify) => {
  const limit = { rateLimit: { max: fastify.config.authRateLimitPerMinute, timeWindow: '1 minute' } };

  fastify.post<{ Body: RegisterBody }>('/register', { schema: registerSchema, config: limit }, async (request, reply) => {
    const session = await fastify.auth.register(request, request.body);
    startSession(request, session);
    return reply.code(201).send({ csrfToken: await reply.generateCsrf(), ...session });
  });

  fastify.post<{ Body: LoginBody }>('/login', { schema: loginSchema, config: limit }, async (request, reply) => {
    const session = await fastify.auth.login(request, request.body.email, request.body.password);
    startSession(request, session);
    return reply.send({ csrfToken: await reply.generateCsrf(), ...session });
  });

  fastify.post(
    '/logout',
    { schema: logoutSchema, preValidation: [fastify.csrfProtection, fastify.requireUser] },
    async (request, reply) => {
      endSession(request);
      return reply.code(204).send();
    },
  );

  fastify.get('/me', { schema: meSchema, preValidation: fastify.requireUser }, async (request) => fastify.auth.me(request));

  // Rate-limited like login: a stolen cookie must not become a way to guess the current password.
  fastify.post<{ Body: ChangePasswordBodyType }>(
    '/password',
    {
      schema: changePasswordSchema,
      preValidation: [fastify.csrfProtection, fastify.requireUser],
      config: { rateLimit: { max: fastify.config.authRateLimitPerMinute, timeWindow: '1 minute' } },
    },
    async (request) => changePassword(fastify.rpc, fastify.passwords, request, request.body, writeOptions(request)),
  );
};

export default authApi;
