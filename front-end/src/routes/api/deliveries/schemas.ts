import { Delivery, deliveriesActions } from '@barback/messaging';
import { IdempotencyHeaders, IdParams, readSecurity, sessionErrors, writeSecurity } from '../common.js';

const tags = ['deliveries'];

export const recordDeliverySchema = {
  operationId: 'recordDelivery',
  tags,
  summary:
    'Record a supplier invoice (stock in) or credit note (stock out, negative amounts), managers only. Per line netCents = ' +
    'round(quantity × unitCostCents) and vatCents = round(netCents × vatRateBp / 10000), half up; vatRateBp defaults to the ' +
    'product’s VAT class on the invoice date. The same invoice number from the same supplier again answers 409.',
  security: writeSecurity,
  headers: IdempotencyHeaders,
  body: deliveriesActions['deliveries.recordDelivery'].request,
  response: { 201: Delivery, ...sessionErrors },
};

export const listDeliveriesSchema = {
  operationId: 'listDeliveries',
  tags,
  summary: 'Deliveries recorded in [from, to), newest first, a page at a time: pass nextCursor back as cursor (managers).',
  security: readSecurity,
  querystring: deliveriesActions['deliveries.listDeliveries'].request,
  response: { 200: deliveriesActions['deliveries.listDeliveries'].reply, ...sessionErrors },
};

export const getDeliverySchema = {
  operationId: 'getDelivery',
  tags,
  summary: 'One delivery with its lines; 404 for an id that does not exist or belongs to another venue (managers).',
  security: readSecurity,
  params: IdParams,
  response: { 200: Delivery, ...sessionErrors },
};
