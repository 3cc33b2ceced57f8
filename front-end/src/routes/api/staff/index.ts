import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync } from 'fastify';
import { callOptions } from '../../../services/auth.js';
import { passJson, writeOptions } from '../../../services/calls.js';
import { createStaff } from '../../../services/staff.js';
import { createStaffSchema, disableStaffSchema, listStaffSchema } from './schemas.js';

const staffApi: FastifyPluginAsync = async (fastify) => {
  const api = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const write = [fastify.csrfProtection, fastify.requireUser];

  api.post('/staff', { schema: createStaffSchema, preValidation: write }, async (request, reply) => {
    const member = await createStaff(fastify.rpc, fastify.passwords, request.body, writeOptions(request));
    return reply.code(201).send(member);
  });

  api.post('/staff/disable', { schema: disableStaffSchema, preValidation: write }, async (request) =>
    fastify.rpc.call('staff.disableStaff', request.body, writeOptions(request)),
  );

  api.get('/staff', { schema: listStaffSchema, preValidation: fastify.requireUser }, async (request, reply) =>
    passJson(reply, await fastify.rpc.callJson('staff.listStaff', {}, callOptions(request))),
  );
};

export default staffApi;
