import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync } from 'fastify';
import { callOptions } from '../../../services/auth.js';
import { passJson, writeOptions } from '../../../services/calls.js';
import {
  addTabLineSchema,
  closeTabSchema,
  getTabSchema,
  listOpenTabsSchema,
  openTabSchema,
  splitTabSchema,
  voidTabLineSchema,
} from './schemas.js';

/** Tabs: what a bartender does all night. Every state change takes an Idempotency-Key, so a double tap rings once. */
const tillApi: FastifyPluginAsync = async (fastify) => {
  const api = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const write = [fastify.checkCsrf, fastify.requireUser];

  api.post('/tabs', { schema: openTabSchema, preValidation: write }, async (request, reply) => {
    const tab = await fastify.rpc.call('till.openTab', request.body, writeOptions(request));
    return reply.code(201).send(tab);
  });

  api.post('/tabs/lines', { schema: addTabLineSchema, preValidation: write }, async (request) =>
    fastify.rpc.call('till.addTabLine', request.body, writeOptions(request)),
  );

  api.post('/tabs/lines/void', { schema: voidTabLineSchema, preValidation: write }, async (request) =>
    fastify.rpc.call('till.voidTabLine', request.body, writeOptions(request)),
  );

  api.post('/tabs/split', { schema: splitTabSchema, preValidation: write }, async (request, reply) => {
    const tab = await fastify.rpc.call('till.splitTab', request.body, writeOptions(request));
    return reply.code(201).send(tab);
  });

  api.post('/tabs/close', { schema: closeTabSchema, preValidation: write }, async (request) =>
    fastify.rpc.call('till.closeTab', request.body, writeOptions(request)),
  );

  api.get('/tabs', { schema: listOpenTabsSchema, preValidation: fastify.requireUser }, async (request, reply) =>
    passJson(reply, await fastify.rpc.callJson('till.listOpenTabs', {}, callOptions(request))),
  );

  api.get('/tabs/:id', { schema: getTabSchema, preValidation: fastify.requireUser }, async (request, reply) =>
    passJson(reply, await fastify.rpc.callJson('till.getTab', { id: request.params.id }, callOptions(request))),
  );
};

export default tillApi;
