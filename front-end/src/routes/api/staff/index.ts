import type { FastifyPluginAsync } from 'fastify';
import { callOptions } from '../../../services/auth.js';
import { passJson, writeOptions } from '../../../services/calls.js';
import { changePassword } from '../../../services/password-change.js';
import {
  changePasswordSchema,
  createStaffSchema,
  disableStaffSchema,
  listStaffSchema,
  type ChangePasswordBodyType,
  type CreateStaffBodyType,
  type DisableStaffBody,
} from './schemas.js';

const staffApi: FastifyPluginAsync = async (fastify) => {
  const write = [fastify.csrfProtection, fastify.requireUser];

  fastify.post<{ Body: CreateStaffBodyType }>('/staff', { schema: createStaffSchema, preValidation: write }, async (request, reply) => {
    const { password, ...person } = request.body;
    const passwordHash = await fastify.passwords.hash(password);
    const member = await fastify.rpc.call('staff.create', { ...person, passwordHash }, writeOptions(request));
    return reply.code(201).send(member);
  });

  fastify.post<{ Body: DisableStaffBody }>('/staff/disable', { schema: disableStaffSchema, preValidation: write }, async (request) =>
    fastify.rpc.call('staff.disable', request.body, writeOptions(request)),
  );

  fastify.get('/staff', { schema: listStaffSchema, preValidation: fastify.requireUser }, async (request, reply) =>
    passJson(reply, await fastify.rpc.callJson('staff.list', {}, callOptions(request))),
  );

  // Rate-limited like login: a stolen cookie must not become a way to guess the current password.
  fastify.post<{ Body: ChangePasswordBodyType }>(
    '/password',
    {
      schema: changePasswordSchema,
      preValidation: write,
      config: { rateLimit: { max: fastify.config.authRateLimitPerMinute, timeWindow: '1 minute' } },
    },
    async (request) => changePassword(fastify.rpc, fastify.passwords, request, request.body, writeOptions(request)),
  );
};

export default staffApi;
