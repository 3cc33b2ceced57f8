import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync } from 'fastify';
import { callOptions } from '../../../services/auth.js';
import { passJson, writeOptions } from '../../../services/calls.js';
import { getSaleSchema, listSalesSchema, recordSaleSchema, refundSaleSchema } from './schemas.js';

const salesApi: FastifyPluginAsync = async (fastify) => {
  const api = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const write = [fastify.checkCsrf, fastify.requireUser];

  api.post('/sales', { schema: recordSaleSchema, preValidation: write }, async (request, reply) => {
    const sale = await fastify.rpc.call('sales.recordSale', request.body, writeOptions(request));
    return reply.code(201).send(sale);
  });

  api.get('/sales', { schema: listSalesSchema, preValidation: fastify.requireUser }, async (request, reply) =>
    passJson(reply, await fastify.rpc.callJson('sales.listSales', request.query, callOptions(request))),
  );

  api.get('/sales/:id', { schema: getSaleSchema, preValidation: fastify.requireUser }, async (request, reply) =>
    passJson(reply, await fastify.rpc.callJson('sales.getSale', { id: request.params.id }, callOptions(request))),
  );

  api.post('/refunds', { schema: refundSaleSchema, preValidation: write }, async (request, reply) => {
    const refund = await fastify.rpc.call('sales.refundSale', request.body, writeOptions(request));
    return reply.code(201).send(refund);
  });
};

export default salesApi;
