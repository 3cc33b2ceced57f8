import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync } from 'fastify';
import { callOptions } from '../../../services/auth.js';
import { passJson, writeOptions } from '../../../services/calls.js';
import { closeShiftSchema, getXReportSchema, getZReportSchema, listZReportsSchema, recordCashMovementSchema, startShiftSchema } from './schemas.js';

/** The open shift is "current": a venue has at most one, so no client needs its id to act on it. */
const shiftsApi: FastifyPluginAsync = async (fastify) => {
  const api = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const write = [fastify.checkCsrf, fastify.requireUser];

  api.post('/shifts', { schema: startShiftSchema, preValidation: write }, async (request, reply) => {
    const shift = await fastify.rpc.call('shifts.startShift', request.body, writeOptions(request));
    return reply.code(201).send(shift);
  });

  api.post('/shifts/current/cash-movements', { schema: recordCashMovementSchema, preValidation: write }, async (request, reply) => {
    const movement = await fastify.rpc.call('shifts.recordCashMovement', request.body, writeOptions(request));
    return reply.code(201).send(movement);
  });

  api.get('/shifts/current/x-report', { schema: getXReportSchema, preValidation: fastify.requireUser }, async (request, reply) =>
    passJson(reply, await fastify.rpc.callJson('shifts.getXReport', {}, callOptions(request))),
  );

  api.post('/shifts/current/close', { schema: closeShiftSchema, preValidation: write }, async (request) =>
    fastify.rpc.call('shifts.closeShift', request.body, writeOptions(request)),
  );

  api.get('/z-reports', { schema: listZReportsSchema, preValidation: fastify.requireUser }, async (request, reply) =>
    passJson(reply, await fastify.rpc.callJson('shifts.listZReports', request.query, callOptions(request))),
  );

  api.get('/z-reports/:id', { schema: getZReportSchema, preValidation: fastify.requireUser }, async (request, reply) =>
    passJson(reply, await fastify.rpc.callJson('shifts.getZReport', { id: request.params.id }, callOptions(request))),
  );
};

export default shiftsApi;
