import { catalogueActions, Product, ProductInput } from '@barback/messaging';
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
  summary: "The venue's products with their current servings.",
  security: readSecurity,
  response: { 200: listOf(Product), ...sessionErrors },
};

export const getProductSchema = {
  operationId: 'getProduct',
  tags,
  summary: 'One product; 404 for an id that does not exist or belongs to another venue.',
  security: readSecurity,
  params: IdParams,
  response: { 200: Product, ...sessionErrors },
};
