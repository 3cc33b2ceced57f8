import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync } from 'fastify';
import { callOptions } from '../../../services/auth.js';
import { passJson } from '../../../services/calls.js';
import { getReorderListSchema, listStockMovesSchema } from './schemas.js';

const stockApi: FastifyPluginAsync = async (fastify) => {
  const api = fastify.withTypeProvider<TypeBoxTypeProvider>();

  api.get('/stock/reorder-list', { schema: getReorderListSchema, preValidation: fastify.requireUser }, async (request, reply) =>
    passJson(reply, await fastify.rpc.callJson('stock.getReorderList', {}, callOptions(request))),
  );

  api.get('/products/:id/stock-moves', { schema: listStockMovesSchema, preValidation: fastify.requireUser }, async (request, reply) =>
    passJson(reply, await fastify.rpc.callJson('stock.listStockMoves', { ...request.query, productId: request.params.id }, callOptions(request))),
  );
};

export default stockApi;
