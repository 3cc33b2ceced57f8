import { Supplier, SupplierItemMapping, suppliersActions } from '@barback/messaging';
import { Type } from '@sinclair/typebox';
import { IdempotencyHeaders, IdParams, readSecurity, sessionErrors, writeSecurity } from '../common.js';

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

export const mapSupplierItemSchema = {
  operationId: 'mapSupplierItem',
  tags,
  summary:
    'Remember which product one of the supplier’s items is (managers): by its item code (supplierItemCode) or, for lines without ' +
    'one, its GTIN, exactly one of the two, with stockUnitsPerItem (a case of 24 bottles counted in bottles = 24). Mapping the ' +
    'same code again replaces it; the supplier’s next invoice maps itself.',
  security: writeSecurity,
  headers: IdempotencyHeaders,
  params: IdParams,
  body: Type.Omit(suppliersActions['suppliers.mapSupplierItem'].request, ['supplierId'], { additionalProperties: false }),
  response: { 200: SupplierItemMapping, ...sessionErrors },
};
