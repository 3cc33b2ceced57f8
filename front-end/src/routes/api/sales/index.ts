import type { FastifyPluginAsync } from 'fastify';
import { callOptions } from '../../../services/auth.js';
import { passJson, writeOptions } from '../../../services/calls.js';
import type { IdParamsType } from '../common.js';
import {
  getSaleSchema,
  listSalesSchema,
  recordSaleSchema,
  refundSaleSchema,
  type ListSalesQuery,
  type RecordSaleBody,
  type RefundSaleBody,
} from './schemas.js';

const salesApi: FastifyPluginAsync = async (fastify) => {
  const write = [fastify.csrfProtection, fastify.requireUser];

  fastify.post<{ Body: RecordSaleBody }>('/sales', { schema: recordSaleSchema, preValidation: write }, async (request, reply) => {
    const sale = await fastify.rpc.call('sales.recordSale', request.body, writeOptions(request));
    return reply.code(201).send(sale);
  });

  fastify.get<{ Querystring: ListSalesQuery }>('/sales', { schema: listSalesSchema, preValidation: fastify.requireUser }, async (request, reply) =>
    passJson(reply, await fastify.rpc.callJson('sales.listSales', request.query, callOptions(request))),
  );

  fastify.get<{ Params: IdParamsType }>('/sales/:id', { schema: getSaleSchema, preValidation: fastify.requireUser }, async (request, reply) =>
    passJson(reply, await fastify.rpc.callJson('sales.getSale', { id: request.params.id }, callOptions(request))),
  );

  fastify.post<{ Body: RefundSaleBody }>('/refunds', { schema: refundSaleSchema, preValidation: write }, async (request, reply) => {
    const refund = await fastify.rpc.call('sales.refundSale', request.body, writeOptions(request));
    return reply.code(201).send(refund);
  });
};

export default salesApi;
