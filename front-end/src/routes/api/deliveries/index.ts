import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync } from 'fastify';
import { callOptions } from '../../../services/auth.js';
import { passJson, writeOptions } from '../../../services/calls.js';
import { getDeliverySchema, listDeliveriesSchema, recordDeliverySchema } from './schemas.js';

const deliveriesApi: FastifyPluginAsync = async (fastify) => {
  const api = fastify.withTypeProvider<TypeBoxTypeProvider>();

  api.post('/deliveries', { schema: recordDeliverySchema, preValidation: [fastify.checkCsrf, fastify.requireUser] }, async (request, reply) => {
    const delivery = await fastify.rpc.call('deliveries.recordDelivery', request.body, writeOptions(request));
    return reply.code(201).send(delivery);
  });

  api.get('/deliveries', { schema: listDeliveriesSchema, preValidation: fastify.requireUser }, async (request, reply) =>
    passJson(reply, await fastify.rpc.callJson('deliveries.listDeliveries', request.query, callOptions(request))),
  );

  api.get('/deliveries/:id', { schema: getDeliverySchema, preValidation: fastify.requireUser }, async (request, reply) =>
    passJson(reply, await fastify.rpc.callJson('deliveries.getDelivery', { id: request.params.id }, callOptions(request))),
  );
};

export default deliveriesApi;
