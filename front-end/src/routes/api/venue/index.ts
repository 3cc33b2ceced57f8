import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync } from 'fastify';
import { callOptions } from '../../../services/auth.js';
import { passJson, writeOptions } from '../../../services/calls.js';
import { getSettingsSchema, updateSettingsSchema } from './schemas.js';

/** The venue's own settings: one document, read by anyone on the staff, replaced by a manager. */
const venueApi: FastifyPluginAsync = async (fastify) => {
  const api = fastify.withTypeProvider<TypeBoxTypeProvider>();

  api.get('/venue/settings', { schema: getSettingsSchema, preValidation: fastify.requireUser }, async (request, reply) =>
    passJson(reply, await fastify.rpc.callJson('venue.getSettings', {}, callOptions(request))),
  );

  api.put('/venue/settings', { schema: updateSettingsSchema, preValidation: [fastify.checkCsrf, fastify.requireUser, fastify.requirePassword] }, async (request) =>
    fastify.rpc.call('venue.updateSettings', request.body, writeOptions(request)),
  );
};

export default venueApi;
