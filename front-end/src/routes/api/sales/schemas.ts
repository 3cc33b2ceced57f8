import { Refund, Sale, salesActions } from '@barback/messaging';
import { IdempotencyHeaders, IdParams, readSecurity, sessionErrors, writeSecurity } from '../common.js';

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
  summary:
    'Sales closed in [from, to) (ISO timestamps; the last 24 hours without them), newest first, with their lines, payments and ' +
    'refunds, a page at a time: pass nextCursor back as cursor, with the same filters, for the next page.',
  security: readSecurity,
  querystring: salesActions['sales.listSales'].request,
  response: { 200: salesActions['sales.listSales'].reply, ...sessionErrors },
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
