import { Stocktake, StocktakeCount, VarianceReport, stocktakesActions } from '@barback/messaging';
import { Type } from '@sinclair/typebox';
import { IdParams, IdempotencyHeaders, readSecurity, sessionErrors, writeSecurity } from '../common.js';

const tags = ['stocktakes'];
const countRequest = stocktakesActions['stocktakes.recordCount'].request.properties;
const closeRequest = stocktakesActions['stocktakes.closeStocktake'].request.properties;

export const startStocktakeSchema = {
  operationId: 'startStocktake',
  tags,
  summary: 'Start a stocktake (managers): one open per venue (409 otherwise); countedAt defaults to now.',
  security: writeSecurity,
  headers: IdempotencyHeaders,
  body: stocktakesActions['stocktakes.startStocktake'].request,
  response: { 201: Stocktake, ...sessionErrors },
};

export const listStocktakesSchema = {
  operationId: 'listStocktakes',
  tags,
  summary: 'The open stocktake first, then the latest 50 closed, newest first.',
  security: readSecurity,
  response: { 200: stocktakesActions['stocktakes.listStocktakes'].reply, ...sessionErrors },
};

export const getStocktakeSchema = {
  operationId: 'getStocktake',
  tags,
  summary: 'A stocktake with its counts so far and the products still uncounted.',
  security: readSecurity,
  params: IdParams,
  response: { 200: Stocktake, ...sessionErrors },
};

export const recordCountSchema = {
  operationId: 'recordCount',
  tags,
  summary:
    'Count a product (anyone on shift): full containers and one partial as tenths or its gross weight in grams. ' +
    'Counting it again replaces the count; send an Idempotency-Key so a retry applies once.',
  security: writeSecurity,
  headers: IdempotencyHeaders,
  params: IdParams,
  body: Type.Object(
    { productId: countRequest.productId, fullUnits: countRequest.fullUnits, partialTenths: countRequest.partialTenths, partialGrams: countRequest.partialGrams },
    { additionalProperties: false },
  ),
  response: { 200: StocktakeCount, ...sessionErrors },
};

export const closeStocktakeSchema = {
  operationId: 'closeStocktake',
  tags,
  summary:
    'Close a stocktake (managers): stock set to each count as of countedAt. 400 listing the uncounted products unless uncounted is "expected".',
  security: writeSecurity,
  headers: IdempotencyHeaders,
  params: IdParams,
  body: Type.Object({ uncounted: closeRequest.uncounted }, { additionalProperties: false }),
  response: { 200: Stocktake, ...sessionErrors },
};

export const getVarianceReportSchema = {
  operationId: 'getVarianceReport',
  tags,
  summary: 'A closed stocktake’s variance since the previous closed one, per product and in total, biggest loss at cost first (managers).',
  security: readSecurity,
  params: IdParams,
  response: { 200: VarianceReport, ...sessionErrors },
};
