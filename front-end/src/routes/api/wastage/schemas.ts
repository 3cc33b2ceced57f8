import { Wastage, wastageActions } from '@barback/messaging';
import { IdempotencyHeaders, readSecurity, sessionErrors, writeSecurity } from '../common.js';

const tags = ['wastage'];

export const recordWastageSchema = {
  operationId: 'recordWastage',
  tags,
  summary:
    'Write stock off (anyone on shift): exactly one of ml, units, or servingId with servings; reason other needs a note. ' +
    'costCents = round(stockUnits × unitCostCents), half up.',
  security: writeSecurity,
  headers: IdempotencyHeaders,
  body: wastageActions['wastage.recordWastage'].request,
  response: { 201: Wastage, ...sessionErrors },
};

export const listWastageSchema = {
  operationId: 'listWastage',
  tags,
  summary: 'Wastage recorded in [from, to), of one reason or all, newest first, a page at a time (managers).',
  security: readSecurity,
  querystring: wastageActions['wastage.listWastage'].request,
  response: { 200: wastageActions['wastage.listWastage'].reply, ...sessionErrors },
};
