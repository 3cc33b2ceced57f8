import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync } from 'fastify';
import { callOptions } from '../../../services/auth.js';
import { passJson, writeOptions } from '../../../services/calls.js';
import { closeStocktakeSchema, getStocktakeSchema, listStocktakesSchema, getVarianceReportSchema, recordCountSchema, startStocktakeSchema } from './schemas.js';

const stocktakesApi: FastifyPluginAsync = async (fastify) => {
  const api = fastify.withTypeProvider<TypeBoxTypeProvider>();

  api.post('/stocktakes', { schema: startStocktakeSchema, preValidation: [fastify.checkCsrf, fastify.requireUser] }, async (request, reply) => {
    const stocktake = await fastify.rpc.call('stocktakes.startStocktake', request.body, writeOptions(request));
    return reply.code(201).send(stocktake);
  });

  api.get('/stocktakes', { schema: listStocktakesSchema, preValidation: fastify.requireUser }, async (request, reply) =>
    passJson(reply, await fastify.rpc.callJson('stocktakes.listStocktakes', {}, callOptions(request))),
  );

  api.get('/stocktakes/:id', { schema: getStocktakeSchema, preValidation: fastify.requireUser }, async (request, reply) =>
    passJson(reply, await fastify.rpc.callJson('stocktakes.getStocktake', { id: request.params.id }, callOptions(request))),
  );

  api.post('/stocktakes/:id/counts', { schema: recordCountSchema, preValidation: [fastify.checkCsrf, fastify.requireUser] }, async (request) =>
    fastify.rpc.call('stocktakes.recordCount', { ...request.body, stocktakeId: request.params.id }, writeOptions(request)),
  );

  api.post('/stocktakes/:id/close', { schema: closeStocktakeSchema, preValidation: [fastify.checkCsrf, fastify.requireUser] }, async (request) =>
    fastify.rpc.call('stocktakes.closeStocktake', { ...request.body, stocktakeId: request.params.id }, writeOptions(request)),
  );

  api.get('/stocktakes/:id/variance', { schema: getVarianceReportSchema, preValidation: fastify.requireUser }, async (request, reply) =>
    passJson(reply, await fastify.rpc.callJson('stocktakes.getVarianceReport', { id: request.params.id }, callOptions(request))),
  );
};

export default stocktakesApi;
