import { catalogueActions, Product, ProductInput, VatRate } from '@barback/messaging';
import { Type } from '@sinclair/typebox';
import { IdempotencyHeaders, IdParams, listOf, readSecurity, sessionErrors, writeSecurity } from '../common.js';

const { id: _id, ...patchFields } = catalogueActions['catalogue.updateProduct'].request.properties;

/** What PATCH accepts: any product field; `servings`, when given, is the full list (servings left out are retired). */
export const ProductPatch = Type.Object(patchFields, { additionalProperties: false });

const tags = ['catalogue'];

export const createProductSchema = {
  operationId: 'createProduct',
  tags,
  summary: 'Add a product with its servings (managers). A serving priced below the minimum unit price is refused with 400.',
  security: writeSecurity,
  headers: IdempotencyHeaders,
  body: ProductInput,
  response: { 201: Product, ...sessionErrors },
};

export const updateProductSchema = {
  operationId: 'updateProduct',
  tags,
  summary: 'Change a product (managers). Fields left out stay; `servings`, when given, is the full list. Recorded sales keep their prices.',
  security: writeSecurity,
  headers: IdempotencyHeaders,
  params: IdParams,
  body: ProductPatch,
  response: { 200: Product, ...sessionErrors },
};

export const listProductsSchema = {
  operationId: 'listProducts',
  tags,
  summary:
    "The venue's products with their current servings, by category, then place (sortOrder), then name. " +
    'Archived products only with includeArchived=true.',
  security: readSecurity,
  querystring: catalogueActions['catalogue.listProducts'].request,
  response: { 200: listOf(Product), ...sessionErrors },
};

export const archiveProductSchema = {
  operationId: 'archiveProduct',
  tags,
  summary: 'Take a product off the till and the default list (managers). Its sales and audit entries stay; restoreProduct brings it back.',
  security: writeSecurity,
  headers: IdempotencyHeaders,
  params: IdParams,
  response: { 200: Product, ...sessionErrors },
};

export const restoreProductSchema = {
  operationId: 'restoreProduct',
  tags,
  summary: 'Put an archived product back on the till, last in its category (managers).',
  security: writeSecurity,
  headers: IdempotencyHeaders,
  params: IdParams,
  response: { 200: Product, ...sessionErrors },
};

export const listVatRatesSchema = {
  operationId: 'listVatRates',
  tags,
  summary: "Each VAT class's rate in force today (by the venue's calendar) and any change already scheduled.",
  security: readSecurity,
  response: { 200: listOf(VatRate), ...sessionErrors },
};

export const getProductSchema = {
  operationId: 'getProduct',
  tags,
  summary: 'One product; 404 for an id that does not exist or belongs to another venue.',
  security: readSecurity,
  params: IdParams,
  response: { 200: Product, ...sessionErrors },
};
