/**
 * The OpenAPI document (front-end/src/plugins/external/swagger.ts): every
 * operation by its operationId, each once. Served by the front end alone.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startFrontEnd, type TestFrontEnd } from '../../../helpers/app.js';

let frontEnd: TestFrontEnd;

beforeAll(async () => {
  frontEnd = await startFrontEnd();
});
afterAll(async () => {
  await frontEnd?.close();
});

describe('OpenAPI', () => {
  it('documents every till, catalogue, sales, staff and audit operation', async () => {
    const res = await frontEnd.client().get('/api/openapi.json');
    expect(res.statusCode).toBe(200);
    const paths = res.json().paths as Record<string, Record<string, { operationId?: string }>>;
    const ids = Object.values(paths).flatMap((ops) => Object.values(ops).map((op) => op.operationId));
    expect(ids).toEqual(
      expect.arrayContaining([
        'createProduct',
        'updateProduct',
        'listProducts',
        'getProduct',
        'openTab',
        'addTabLine',
        'voidTabLine',
        'closeTab',
        'recordSale',
        'listSales',
        'getSale',
        'refundSale',
        'listOpenTabs',
        'getTab',
        'createStaff',
        'disableStaff',
        'listStaff',
        'changePassword',
        'auditLog',
      ]),
    );
    expect(paths['/api/v1/products/{id}']).toBeDefined();
    expect(paths['/api/v1/sales/{id}']).toBeDefined();
  });

  it('documents the operations by operationId', async () => {
    const res = await frontEnd.client().get('/api/openapi.json');
    expect(res.statusCode).toBe(200);
    const ids = Object.values(res.json().paths as Record<string, Record<string, { operationId?: string }>>)
      .flatMap((ops) => Object.values(ops).map((op) => op.operationId));
    expect(ids).toEqual(expect.arrayContaining(['register', 'login', 'logout', 'me']));
  });
});

describe('OpenAPI operations', () => {
  it('lists exactly the API operations, each once', async () => {
    const res = await frontEnd.client().get('/api/openapi.json');
    const ids = Object.values(res.json().paths as Record<string, Record<string, { operationId?: string }>>)
      .flatMap((ops) => Object.values(ops).map((op) => op.operationId))
      .filter((id): id is string => id !== undefined)
      .sort();
    expect(ids).toEqual(
      [
        'addTabLine', 'auditLog', 'changePassword', 'closeTab', 'createProduct', 'createStaff', 'disableStaff', 'getProduct',
        'getSale', 'getTab', 'listOpenTabs', 'listProducts', 'listSales', 'listStaff', 'login', 'logout', 'me', 'openTab',
        'recordSale', 'refundSale', 'register', 'updateProduct', 'voidTabLine',
        'archiveProduct', 'restoreProduct', 'listVatRates',
        'splitTab', 'getSettings', 'updateSettings',
        'enrolTill', 'listTills', 'revokeTill', 'setStaffPin', 'listTillStaff', 'pinLogin', 'setPin',
      ].sort(),
    );
  });
});
