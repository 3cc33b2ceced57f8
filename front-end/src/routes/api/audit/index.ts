import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync } from 'fastify';
import { callOptions } from '../../../services/auth.js';
import { passJson } from '../../../services/calls.js';
import { auditLogSchema } from './schemas.js';

const auditApi: FastifyPluginAsync = async (fastify) => {
  const api = fastify.withTypeProvider<TypeBoxTypeProvider>();

  api.get('/audit', { schema: auditLogSchema, preValidation: fastify.requireUser }, async (request, reply) =>
    passJson(reply, await fastify.rpc.callJson('audit.listAuditEntries', request.query, callOptions(request))),
  );
};

export default auditApi;
