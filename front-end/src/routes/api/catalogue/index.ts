import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync } from 'fastify';
import { callOptions } from '../../../services/auth.js';
import { passJson, writeOptions } from '../../../services/calls.js';
import {
  archiveProductSchema,
  createProductSchema,
  getProductSchema,
  listProductsSchema,
  listVatRatesSchema,
  restoreProductSchema,
  updateProductSchema,
} from './schemas.js';

const catalogueApi: FastifyPluginAsync = async (fastify) => {
  const api = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const write = [fastify.checkCsrf, fastify.requireUser];

  api.post('/products', { schema: createProductSchema, preValidation: write }, async (request, reply) => {
    const product = await fastify.rpc.call('catalogue.createProduct', request.body, writeOptions(request));
    return reply.code(201).send(product);
  });

  api.patch('/products/:id', { schema: updateProductSchema, preValidation: write }, async (request) =>
    fastify.rpc.call('catalogue.updateProduct', { ...request.body, id: request.params.id }, writeOptions(request)),
  );

  api.post('/products/:id/archive', { schema: archiveProductSchema, preValidation: write }, async (request) =>
    fastify.rpc.call('catalogue.archiveProduct', { id: request.params.id }, writeOptions(request)),
  );

  api.post('/products/:id/restore', { schema: restoreProductSchema, preValidation: write }, async (request) =>
    fastify.rpc.call('catalogue.restoreProduct', { id: request.params.id }, writeOptions(request)),
  );

  api.get('/products', { schema: listProductsSchema, preValidation: fastify.requireUser }, async (request, reply) =>
    passJson(reply, await fastify.rpc.callJson('catalogue.listProducts', request.query, callOptions(request))),
  );

  api.get('/products/:id', { schema: getProductSchema, preValidation: fastify.requireUser }, async (request, reply) =>
    passJson(reply, await fastify.rpc.callJson('catalogue.getProduct', { id: request.params.id }, callOptions(request))),
  );

  api.get('/vat-rates', { schema: listVatRatesSchema, preValidation: fastify.requireUser }, async (request, reply) =>
    passJson(reply, await fastify.rpc.callJson('catalogue.listVatRates', {}, callOptions(request))),
  );
};

export default catalogueApi;
