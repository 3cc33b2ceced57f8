import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync } from 'fastify';
import { callOptions } from '../../../services/auth.js';
import { passJson, writeOptions } from '../../../services/calls.js';
import { createSupplierSchema, listSuppliersSchema, mapSupplierItemSchema } from './schemas.js';

const suppliersApi: FastifyPluginAsync = async (fastify) => {
  const api = fastify.withTypeProvider<TypeBoxTypeProvider>();

  api.post('/suppliers', { schema: createSupplierSchema, preValidation: [fastify.checkCsrf, fastify.requireUser] }, async (request, reply) => {
    const supplier = await fastify.rpc.call('suppliers.createSupplier', request.body, writeOptions(request));
    return reply.code(201).send(supplier);
  });

  api.get('/suppliers', { schema: listSuppliersSchema, preValidation: fastify.requireUser }, async (request, reply) =>
    passJson(reply, await fastify.rpc.callJson('suppliers.listSuppliers', {}, callOptions(request))),
  );

  api.put(
    '/suppliers/:id/item-mappings',
    { schema: mapSupplierItemSchema, preValidation: [fastify.checkCsrf, fastify.requireUser] },
    async (request) => fastify.rpc.call('suppliers.mapSupplierItem', { supplierId: request.params.id, ...request.body }, writeOptions(request)),
  );
};

export default suppliersApi;
