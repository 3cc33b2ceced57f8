import { pageRequest, stockActions } from '@barback/messaging';
import { Type } from '@sinclair/typebox';
import { IdParams, readSecurity, sessionErrors } from '../common.js';

const tags = ['stock'];

export const getReorderListSchema = {
  operationId: 'getReorderList',
  tags,
  summary: 'Products below par grouped by the supplier of their last invoice, with ceil(par − on hand) to order and its cost (managers).',
  security: readSecurity,
  response: { 200: stockActions['stock.getReorderList'].reply, ...sessionErrors },
};

export const listStockMovesSchema = {
  operationId: 'listStockMoves',
  tags,
  summary: 'A product’s stock movements newest first, with cause, who, when and the running balance, a page at a time (managers).',
  security: readSecurity,
  params: IdParams,
  querystring: Type.Object(pageRequest, { additionalProperties: false }),
  response: { 200: stockActions['stock.listStockMoves'].reply, ...sessionErrors },
};
