import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync } from 'fastify';
import { useInvoiceBodyParsers } from './invoice-body.js';
import { callOptions } from '../../../services/auth.js';
import { passJson, writeOptions } from '../../../services/calls.js';
import { confirmInvoiceSchema, getDeliverySchema, getInvoiceDraftSchema, importInvoiceSchema, listDeliveriesSchema, recordDeliverySchema } from './schemas.js';

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

  // Its own plugin: the only API route that takes XML, and a body over 64 KB (invoice-body.ts).
  await fastify.register(async (invoices) => {
    useInvoiceBodyParsers(invoices);
    invoices.post(
      '/deliveries/invoices',
      // xmlBody: formbody.ts lets application/xml and text/xml through to this route alone.
      { schema: importInvoiceSchema, config: { xmlBody: true }, preValidation: [invoices.checkCsrf, invoices.requireUser] },
      async (request, reply) => {
        const body = request.body as string | { document: string };
        const document = typeof body === 'string' ? body : body.document;
        const draft = await invoices.rpc.call('deliveries.importInvoice', { document }, writeOptions(request));
        return reply.code(201).send(draft);
      },
    );
  });

  api.get('/deliveries/invoices/:id', { schema: getInvoiceDraftSchema, preValidation: fastify.requireUser }, async (request, reply) =>
    passJson(reply, await fastify.rpc.callJson('deliveries.getInvoiceDraft', { id: request.params.id }, callOptions(request))),
  );

  api.post(
    '/deliveries/invoices/:id/confirm',
    { schema: confirmInvoiceSchema, preValidation: [fastify.checkCsrf, fastify.requireUser] },
    async (request, reply) => {
      const delivery = await fastify.rpc.call('deliveries.confirmInvoice', { draftId: request.params.id, ...request.body }, writeOptions(request));
      return reply.code(201).send(delivery);
    },
  );
};

export default deliveriesApi;
