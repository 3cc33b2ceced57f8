import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync } from 'fastify';
import { callOptions } from '../../../services/auth.js';
import { passJson } from '../../../services/calls.js';
import { getTradingDetailsSchema, getVatReturnSchema, getVatWorkingsSchema } from './schemas.js';

/** The VAT3, its workings and the RTD: reads for managers (the worker refuses anyone else). */
const vatApi: FastifyPluginAsync = async (fastify) => {
  const api = fastify.withTypeProvider<TypeBoxTypeProvider>();

  api.get('/vat/return', { schema: getVatReturnSchema, preValidation: fastify.requireUser }, async (request, reply) =>
    passJson(reply, await fastify.rpc.callJson('vat.getVatReturn', request.query, callOptions(request))),
  );

  api.get('/vat/workings', { schema: getVatWorkingsSchema, preValidation: fastify.requireUser }, async (request, reply) =>
    passJson(reply, await fastify.rpc.callJson('vat.getVatWorkings', request.query, callOptions(request))),
  );

  api.get('/vat/trading-details', { schema: getTradingDetailsSchema, preValidation: fastify.requireUser }, async (request, reply) =>
    passJson(reply, await fastify.rpc.callJson('vat.getTradingDetails', request.query, callOptions(request))),
  );
};

export default vatApi;
