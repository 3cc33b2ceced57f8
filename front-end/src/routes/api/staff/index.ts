import type { FastifyPluginAsync } from 'fastify';
import { callOptions } from '../../../services/auth.js';
import { passJson, writeOptions } from '../../../services/calls.js';
import {
  createStaffSchema,
  disableStaffSchema,
  listStaffSchema,
  type CreateStaffBodyType,
  type DisableStaffBody,
} from './schemas.js';

const staffApi: FastifyPluginAsync = async (fastify) => {
  const write = [fastify.csrfProtection, fastify.requireUser];

  fastify.post<{ Body: CreateStaffBodyType }>('/staff', { schema: createStaffSchema, preValidation: write }, async (request, reply) => {
    const { password, ...person } = request.body;
    const passwordHash = await fastify.passwords.hash(password);
    const member = await fastify.rpc.call('staff.createStaff', { ...person, passwordHash }, writeOptions(request));
    return reply.code(201).send(member);
  });

  fastify.post<{ Body: DisableStaffBody }>('/staff/disable', { schema: disableStaffSchema, preValidation: write }, async (request) =>
    fastify.rpc.call('staff.disableStaff', request.body, writeOptions(request)),
  );

  fastify.get('/staff', { schema: listStaffSchema, preValidation: fastify.requireUser }, async (request, reply) =>
    passJson(reply, await fastify.rpc.callJson('staff.listStaff', {}, callOptions(request))),
  );
};

export default staffApi;
