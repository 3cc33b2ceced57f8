/**
 * POST /api/v1/products/{id}/archive and /restore (operationIds
 * archiveProduct, restoreProduct), GET /api/v1/products?includeArchived=true
 * and GET /api/v1/vat-rates (listVatRates), over HTTP.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Worker } from '@barback/back-end';
import { startFrontEnd, type HttpClient, type TestFrontEnd } from '../../../../helpers/app.js';
import { UNKNOWN_ID, createProductOverHttp, registeredManager } from '../../../../helpers/api.js';
import { registerOverHttp, staffOverHttp, type Product } from '../../../../helpers/venue.js';
import { startWorker } from '../../../../helpers/worker.js';

let worker: Worker;
let frontEnd: TestFrontEnd;
let manager: HttpClient;

beforeAll(async () => {
  worker = await startWorker();
  frontEnd = await startFrontEnd();
  manager = await registeredManager(frontEnd, 'archive-api');
});
afterAll(async () => {
  await frontEnd?.close();
  await worker?.stop();
});

const listed = async (client: HttpClient, query = '') => (await client.get(`/api/v1/products${query}`)).json<{ items: Product[] }>().items;

describe('archiving over the API', () => {
  it('archives and restores a product; the default list leaves archived ones out, includeArchived keeps them', async () => {
    const product = await createProductOverHttp(manager, { name: 'API Seasonal' });
    const archived = await manager.post(`/api/v1/products/${product.id}/archive`);
    expect(archived.statusCode).toBe(200);
    expect(archived.json()).toMatchObject({ id: product.id, archived: true });
    expect((await listed(manager)).map((p) => p.id)).not.toContain(product.id);
    expect((await listed(manager, '?includeArchived=true')).find((p) => p.id === product.id)).toMatchObject({ archived: true });
    expect((await manager.get(`/api/v1/products/${product.id}`)).json()).toMatchObject({ archived: true });

    const restored = await manager.post(`/api/v1/products/${product.id}/restore`);
    expect(restored.statusCode).toBe(200);
    expect(restored.json()).toMatchObject({ archived: false });
    expect((await listed(manager)).map((p) => p.id)).toContain(product.id);
    expect((await manager.get('/api/v1/products?includeArchived=maybe')).statusCode).toBe(400);
  });

  it('answers 404 for an unknown or another venue’s product, 400 for a malformed id, 403 for a bartender', async () => {
    const other = await registerOverHttp(frontEnd, 'archive-api-other');
    const theirs = await createProductOverHttp(other.manager);
    for (const id of [theirs.id, UNKNOWN_ID]) {
      const res = await manager.post(`/api/v1/products/${id}/archive`);
      expect(res.statusCode).toBe(404);
      expect(res.json().error.code).toBe('BB_NOT_FOUND');
    }
    expect((await manager.post('/api/v1/products/not-an-id/restore')).statusCode).toBe(400);

    const bartender = await staffOverHttp(frontEnd, other, 'bartender');
    const refused = await bartender.client.post(`/api/v1/products/${theirs.id}/archive`);
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error.code).toBe('BB_FORBIDDEN');
    expect((await other.manager.get(`/api/v1/products/${theirs.id}`)).json()).toMatchObject({ archived: false });
  });

  it('lists the VAT rates in force, for anyone logged in', async () => {
    const res = await manager.get('/api/v1/vat-rates');
    expect(res.statusCode).toBe(200);
    const items = res.json<{ items: { vatClass: string; rateBp: number; effectiveFrom: string; current: boolean }[] }>().items;
    expect(items.filter((r) => r.current).map((r) => r.vatClass)).toEqual(['standard', 'reduced']);
    expect(items.find((r) => r.vatClass === 'standard' && r.current)?.rateBp).toBe(2300);
    expect((await frontEnd.client().get('/api/v1/vat-rates')).statusCode).toBe(401);
  });
});
