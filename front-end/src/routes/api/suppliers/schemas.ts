import { Supplier, suppliersActions } from '@barback/messaging';
import { IdempotencyHeaders, readSecurity, sessionErrors, writeSecurity } from '../common.js';

const tags = ['suppliers'];

export const createSupplierSchema = {
  operationId: 'createSupplier',
  tags,
  summary: 'Add a supplier (managers). A second supplier of the same name answers 409.',
  security: writeSecurity,
  headers: IdempotencyHeaders,
  body: suppliersActions['suppliers.createSupplier'].request,
  response: { 201: Supplier, ...sessionErrors },
};

export const listSuppliersSchema = {
  operationId: 'listSuppliers',
  tags,
  summary: 'Every supplier of the venue, by name (managers).',
  security: readSecurity,
  response: { 200: suppliersActions['suppliers.listSuppliers'].reply, ...sessionErrors },
};
