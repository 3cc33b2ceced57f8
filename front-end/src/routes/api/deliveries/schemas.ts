import { Delivery, InvoiceDocument, InvoiceDraft, deliveriesActions } from '@barback/messaging';
import { Type } from '@sinclair/typebox';
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

export const importInvoiceSchema = {
  operationId: 'importInvoice',
  tags,
  summary:
    'Import a supplier’s UBL 2.1 Invoice or CreditNote (PEPPOL BIS Billing 3.0) as a draft delivery, managers only: the XML as the ' +
    'body (application/xml or text/xml, at most 2 MB) or JSON {document}. Nothing is applied until confirmInvoice. A DTD or entity ' +
    'declaration, more than 2 MB, not UBL, or a missing required field answers 400 naming it (a field by its XPath) and stores ' +
    'nothing; a number already recorded from the same supplier answers 409.',
  security: writeSecurity,
  headers: IdempotencyHeaders,
  body: {
    content: {
      'application/json': { schema: deliveriesActions['deliveries.importInvoice'].request },
      'application/xml': { schema: InvoiceDocument },
      'text/xml': { schema: InvoiceDocument },
    },
  },
  response: { 201: InvoiceDraft, ...sessionErrors },
};

export const getInvoiceDraftSchema = {
  operationId: 'getInvoiceDraft',
  tags,
  summary: 'An imported invoice draft with its lines, mappings and checks as they stand now; 404 for another venue’s (managers).',
  security: readSecurity,
  params: IdParams,
  response: { 200: InvoiceDraft, ...sessionErrors },
};

export const confirmInvoiceSchema = {
  operationId: 'confirmInvoice',
  tags,
  summary:
    'Record an imported draft as a delivery, exactly as recordDelivery would (managers). lines: overrides by position, for this ' +
    'confirmation only (another product or pack size, or drop). 400 naming the lines while one is unmapped; 409 when the draft is ' +
    'confirmed already or its number is recorded from the supplier.',
  security: writeSecurity,
  headers: IdempotencyHeaders,
  params: IdParams,
  body: Type.Omit(deliveriesActions['deliveries.confirmInvoice'].request, ['draftId'], { additionalProperties: false }),
  response: { 201: Delivery, ...sessionErrors },
};
