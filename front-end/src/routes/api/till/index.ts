import type { FastifyPluginAsync } from 'fastify';
import { callOptions } from '../../../services/auth.js';
import { passJson, writeOptions } from '../../../services/calls.js';
import type { IdParamsType } from '../common.js';
import {
  addTabLineSchema,
  closeTabSchema,
  getTabSchema,
  listOpenTabsSchema,
  openTabSchema,
  voidTabLineSchema,
  type AddTabLineBody,
  type CloseTabBody,
  type OpenTabBody,
  type VoidTabLineBody,
} from './schemas.js';

/** Tabs: what a bartender does all night. Every state change takes an Idempotency-Key, so a double tap rings once. */
const tillApi: FastifyPluginAsync = async (fastify) => {
  const write = [fastify.csrfProtection, fastify.requireUser];

  fastify.post<{ Body: OpenTabBody }>('/tabs', { schema: openTabSchema, preValidation: write }, async (request, reply) => {
    const tab = await fastify.rpc.call('till.openTab', request.body, writeOptions(request));
    return reply.code(201).send(tab);
  });

  fastify.post<{ Body: AddTabLineBody }>('/tabs/lines', { schema: addTabLineSchema, preValidation: write }, async (request) =>
    fastify.rpc.call('till.addTabLine', request.body, writeOptions(request)),
  );

  fastify.post<{ Body: VoidTabLineBody }>('/tabs/lines/void', { schema: voidTabLineSchema, preValidation: write }, async (request) =>
    fastify.rpc.call('till.voidTabLine', request.body, writeOptions(request)),
  );

  fastify.post<{ Body: CloseTabBody }>('/tabs/close', { schema: closeTabSchema, preValidation: write }, async (request) =>
    fastify.rpc.call('till.closeTab', request.body, writeOptions(request)),
  );

  fastify.get('/tabs', { schema: listOpenTabsSchema, preValidation: fastify.requireUser }, async (request, reply) =>
    passJson(reply, await fastify.rpc.callJson('till.listOpenTabs', {}, callOptions(request))),
  );

  fastify.get<{ Params: IdParamsType }>('/tabs/:id', { schema: getTabSchema, preValidation: fastify.requireUser }, async (request, reply) =>
    passJson(reply, await fastify.rpc.callJson('till.getTab', { id: request.params.id }, callOptions(request))),
  );
};

export default tillApi;
