import { Refund, Sale, salesActions, type RequestOf } from '@barback/messaging';
import { Type } from '@sinclair/typebox';
import { IdempotencyHeaders, IdParams, listOf, Period, readSecurity, sessionErrors, writeSecurity } from '../common.js';

export type RecordSaleBody = RequestOf<'sales.recordSale'>;
export type RefundSaleBody = RequestOf<'sales.refundSale'>;
export type ListSalesQuery = RequestOf<'sales.listSales'>;

const tags = ['sales'];

export const recordSaleSchema = {
  operationId: 'recordSale',
  tags,
  summary: 'A quick sale: a tab opened and paid in one action. Payments must add up exactly to the total.',
  security: writeSecurity,
  headers: IdempotencyHeaders,
  body: salesActions['sales.recordSale'].request,
  response: { 201: Sale, ...sessionErrors },
};

export const listSalesSchema = {
  operationId: 'listSales',
  tags,
  summary: 'Sales closed between from and to (ISO timestamps), with their lines, payments and refunds.',
  security: readSecurity,
  querystring: Type.Object(Period, { additionalProperties: false }),
  response: { 200: listOf(Sale), ...sessionErrors },
};

export const getSaleSchema = {
  operationId: 'getSale',
  tags,
  summary: 'One sale; 404 for an id that does not exist or belongs to another venue.',
  security: readSecurity,
  params: IdParams,
  response: { 200: Sale, ...sessionErrors },
};

export const refundSaleSchema = {
  operationId: 'refundSale',
  tags,
  summary: 'Refund a whole sale, or some of its lines (managers; reason required). Recorded as its own negative entry.',
  security: writeSecurity,
  headers: IdempotencyHeaders,
  body: salesActions['sales.refundSale'].request,
  response: { 201: Refund, ...sessionErrors },
};
