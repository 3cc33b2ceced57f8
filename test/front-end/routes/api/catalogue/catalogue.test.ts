/**
 * The catalogue routes (front-end/src/routes/api/catalogue/), end to end
 * through the real broker and worker: create, read, list and update a
 * product, the minimum unit price refused next to the serving, field-naming
 * 400s, uuid path ids, and 404 for another venue's product.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Worker } from '@barback/back-end';
import { startFrontEnd, type HttpClient, type TestFrontEnd } from '../../../../helpers/app.js';
import { createProduct, createProductOverHttp, half, lager, pint, registeredManager, UNKNOWN_ID } from '../../../../helpers/api.js';
import { productInput, registerOverHttp, type HttpVenue, type Product } from '../../../../helpers/venue.js';
import { startWorker } from '../../../../helpers/worker.js';

let worker: Worker;
let frontEnd: TestFrontEnd;
let a: HttpVenue;
let aProduct: Product;

beforeAll(async () => {
  worker = await startWorker();
  frontEnd = await startFrontEnd();
  a = await registerOverHttp(frontEnd, 'http-a');
  aProduct = await createProductOverHttp(a.manager);
});
afterAll(async () => {
  await frontEnd?.close();
  await worker?.stop();
});

function patch(client: HttpClient, url: string, payload: object, headers: Record<string, string> = {}) {
  return client.request({ method: 'PATCH', url, payload, headers, csrf: true });
}

describe('catalogue routes', () => {
  it('creates, reads, lists and updates a product', async () => {
    const client = await registeredManager(frontEnd, 'cat');
    const created = await createProduct(client);
    expect(created.id).toEqual(expect.any(String));
    expect(created.servings).toHaveLength(2);
    expect(created.servings[0]!.id).toEqual(expect.any(String));

    const got = await client.get(`/api/v1/products/${created.id}`);
    expect(got.statusCode).toBe(200);
    // A read is passed through as the worker sent it: the same JSON the write answered with.
    expect(got.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(got.json()).toEqual(created);

    const list = await client.get('/api/v1/products');
    expect(list.statusCode).toBe(200);
    expect(list.json<{ items: { id: string }[] }>().items.map((p) => p.id)).toContain(created.id);

    const [pint, half] = created.servings;
    const updated = await patch(client, `/api/v1/products/${created.id}`, {
      servings: [{ id: pint!.id, name: 'Pint', ml: 568, priceCents: 650 }, { id: half!.id, name: 'Half', ml: 284, priceCents: 340 }],
    });
    expect(updated.statusCode).toBe(200);
    expect(updated.json().servings.map((s: { priceCents: number }) => s.priceCents)).toEqual([650, 340]);

    const renamed = await patch(client, `/api/v1/products/${created.id}`, { name: `${created.name} Gold` });
    expect(renamed.statusCode).toBe(200);
    expect(renamed.json()).toMatchObject({ name: `${created.name} Gold`, servings: [{ priceCents: 650 }, { priceCents: 340 }] });
  });

  it('keeps null ml (one whole unit) as null', async () => {
    const client = await registeredManager(frontEnd, 'null-ml');
    const bottle = await createProduct(client, {
      category: 'bottle',
      unitMl: null,
      servings: [{ name: 'Bottle 330 ml', ml: null, priceCents: 550 }],
      abv: 0,
    });
    const got = (await client.get(`/api/v1/products/${bottle.id}`)).json();
    expect(got.unitMl).toBeNull();
    expect(got.servings[0].ml).toBeNull();
  });

  it('states the minimum unit price next to the serving that is below it', async () => {
    const client = await registeredManager(frontEnd, 'mup');
    const res = await client.post('/api/v1/products', lager({ servings: [{ name: 'Pint', ml: 568, priceCents: 150 }] }));
    expect(res.statusCode).toBe(400);
    const error = res.json().error;
    expect(error).toMatchObject({ code: 'BB_BELOW_MINIMUM_PRICE', field: 'servings.0.priceCents' });
    expect(error.message).toContain('€1.93');
  });

  it('names the field of a bad body', async () => {
    const client = await registeredManager(frontEnd, 'bad-product');
    const { name: _name, ...noName } = lager();
    const missing = await client.post('/api/v1/products', noName);
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error).toMatchObject({ code: 'BB_VALIDATION', field: 'name' });

    const nestedMissing = await client.post('/api/v1/products', lager({ servings: [{ name: 'Pint', ml: 568 }] }));
    expect(nestedMissing.statusCode).toBe(400);
    expect(nestedMissing.json().error.field).toBe('servings.0.priceCents');

    const badCategory = await client.post('/api/v1/products', lager({ category: 'beer' }));
    expect(badCategory.statusCode).toBe(400);
    expect(badCategory.json().error.field).toBe('category');

    const noServings = await client.post('/api/v1/products', lager({ servings: [] }));
    expect(noServings.statusCode).toBe(400);
    expect(noServings.json().error.field).toBe('servings');
  });

  it('answers 400 for a malformed id and 404 for an unknown one or another venue’s', async () => {
    const owner = await registeredManager(frontEnd, 'venue-a');
    const product = await createProduct(owner);
    const stranger = await registeredManager(frontEnd, 'venue-b');

    const malformed = await owner.get('/api/v1/products/not-a-uuid');
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().error).toMatchObject({ code: 'BB_VALIDATION', field: 'id' });
    const malformedPatch = await patch(owner, '/api/v1/products/42', { name: 'x' });
    expect(malformedPatch.statusCode).toBe(400);
    expect(malformedPatch.json().error.field).toBe('id');

    expect((await owner.get(`/api/v1/products/${UNKNOWN_ID}`)).statusCode).toBe(404);
    const foreign = await stranger.get(`/api/v1/products/${product.id}`);
    expect(foreign.statusCode).toBe(404);
    expect(foreign.json().error.code).toBe('BB_NOT_FOUND');
    expect((await patch(stranger, `/api/v1/products/${product.id}`, { name: 'Mine now' })).statusCode).toBe(404);
  });
});

describe('business refusals over HTTP', () => {
  it('below the minimum unit price: 400 naming the serving price, with the minimum in the message', async () => {
    const res = await a.manager.post('/api/v1/products', productInput({ servings: [{ name: 'Pint', ml: 568, priceCents: 192 }] }));
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({ code: 'BB_BELOW_MINIMUM_PRICE', field: expect.stringMatching(/^servings(\.|\[)0\]?\.priceCents$/) });
    expect(res.json().error.message).toContain('€1.93');
    const patch = await a.manager.request({
      method: 'PATCH',
      url: `/api/v1/products/${aProduct.id}`,
      payload: { servings: [{ id: pint(aProduct), name: 'Pint', ml: 568, priceCents: 150 }] },
      csrf: true,
    });
    expect(patch.statusCode).toBe(400);
    expect(patch.json().error.code).toBe('BB_BELOW_MINIMUM_PRICE');
    const ok = await a.manager.request({
      method: 'PATCH',
      url: `/api/v1/products/${aProduct.id}`,
      payload: { servings: [{ id: pint(aProduct), name: 'Pint', ml: 568, priceCents: 193 }, { id: half(aProduct), name: 'Half', ml: 284, priceCents: 300 }] },
      csrf: true,
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().servings.find((s: { name: string }) => s.name === 'Pint').priceCents).toBe(193);
    // Put the price back for the other tests.
    await a.manager.request({
      method: 'PATCH',
      url: `/api/v1/products/${aProduct.id}`,
      payload: { servings: [{ id: pint(aProduct), name: 'Pint', ml: 568, priceCents: 560 }, { id: half(aProduct), name: 'Half', ml: 284, priceCents: 300 }] },
      csrf: true,
    });
  });
});
