import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync } from 'fastify';
import { callOptions } from '../../../services/auth.js';
import { passJson, writeOptions } from '../../../services/calls.js';
import { listWastageSchema, recordWastageSchema } from './schemas.js';

const wastageApi: FastifyPluginAsync = async (fastify) => {
  const api = fastify.withTypeProvider<TypeBoxTypeProvider>();

  api.post('/wastage', { schema: recordWastageSchema, preValidation: [fastify.checkCsrf, fastify.requireUser] }, async (request, reply) => {
    const wastage = await fastify.rpc.call('wastage.recordWastage', request.body, writeOptions(request));
    return reply.code(201).send(wastage);
  });

  api.get('/wastage', { schema: listWastageSchema, preValidation: fastify.requireUser }, async (request, reply) =>
    passJson(reply, await fastify.rpc.callJson('wastage.listWastage', request.query, callOptions(request))),
  );
};

export default wastageApi;
