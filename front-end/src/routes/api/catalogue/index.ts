import type { FastifyPluginAsync } from 'fastify';
import { callOptions } from '../../../services/auth.js';
import { passJson, writeOptions } from '../../../services/calls.js';
import type { IdParamsType } from '../common.js';
import {
  createProductSchema,
  getProductSchema,
  listProductsSchema,
  updateProductSchema,
  type ProductInputBody,
  type ProductPatchBody,
} from './schemas.js';

const catalogueApi: FastifyPluginAsync = async (fastify) => {
  const write = [fastify.csrfProtection, fastify.requireUser];

  fastify.post<{ Body: ProductInputBody }>('/products', { schema: createProductSchema, preValidation: write }, async (request, reply) => {
    const product = await fastify.rpc.call('catalogue.createProduct', request.body, writeOptions(request));
    return reply.code(201).send(product);
  });

  fastify.patch<{ Params: IdParamsType; Body: ProductPatchBody }>(
    '/products/:id',
    { schema: updateProductSchema, preValidation: write },
    async (request) =>
      fastify.rpc.call('catalogue.updateProduct', { ...request.body, id: request.params.id }, writeOptions(request)),
  );

  fastify.get('/products', { schema: listProductsSchema, preValidation: fastify.requireUser }, async (request, reply) =>
    passJson(reply, await fastify.rpc.callJson('catalogue.listProducts', {}, callOptions(request))),
  );

  fastify.get<{ Params: IdParamsType }>('/products/:id', { schema: getProductSchema, preValidation: fastify.requireUser }, async (request, reply) =>
    passJson(reply, await fastify.rpc.callJson('catalogue.getProduct', { id: request.params.id }, callOptions(request))),
  );
};

export default catalogueApi;
