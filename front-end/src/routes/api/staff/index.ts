import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync } from 'fastify';
import { callOptions } from '../../../services/auth.js';
import { passJson, writeOptions } from '../../../services/calls.js';
import { createStaff } from '../../../services/staff.js';
import { enrolTill, forgetTillIfThisBrowser, markSessionAsTill, setStaffPin } from '../../../services/tills.js';
import {
  createStaffSchema,
  disableStaffSchema,
  enrolTillSchema,
  listStaffSchema,
  listTillsSchema,
  revokeTillSchema,
  setStaffPinSchema,
} from './schemas.js';

const staffApi: FastifyPluginAsync = async (fastify) => {
  const api = fastify.withTypeProvider<TypeBoxTypeProvider>();
  // Staff and till administration needs a password session: a PIN (4 digits, typed in view of the bar) must not become a new account or a new till.
  const write = [fastify.checkCsrf, fastify.requireUser, fastify.requirePassword];
  const read = [fastify.requireUser, fastify.requirePassword];

  api.post('/staff', { schema: createStaffSchema, preValidation: write }, async (request, reply) => {
    const member = await createStaff(fastify.rpc, fastify.passwords, request.body, writeOptions(request), request.session.get('user')?.role);
    return reply.code(201).send(member);
  });

  api.post('/staff/disable', { schema: disableStaffSchema, preValidation: write }, async (request) =>
    fastify.rpc.call('staff.disableStaff', request.body, writeOptions(request)),
  );

  api.get('/staff', { schema: listStaffSchema, preValidation: read }, async (request, reply) =>
    passJson(reply, await fastify.rpc.callJson('staff.listStaff', {}, callOptions(request))),
  );

  api.post('/staff/pin', { schema: setStaffPinSchema, preValidation: write }, async (request) =>
    setStaffPin(fastify.rpc, fastify.passwords, request.body, writeOptions(request)),
  );

  api.post('/tills', { schema: enrolTillSchema, preValidation: write }, async (request, reply) => {
    const till = await enrolTill(fastify.rpc, fastify.config, reply, request.body.name, writeOptions(request));
    markSessionAsTill(request, till);
    return reply.code(201).send(till);
  });

  api.get('/tills', { schema: listTillsSchema, preValidation: read }, async (request, reply) =>
    passJson(reply, await fastify.rpc.callJson('staff.listTills', {}, callOptions(request))),
  );

  api.post('/tills/revoke', { schema: revokeTillSchema, preValidation: write }, async (request, reply) => {
    const till = await fastify.rpc.call('staff.revokeTill', request.body, writeOptions(request));
    forgetTillIfThisBrowser(request, reply, till.id);
    return till;
  });
};

export default staffApi;
