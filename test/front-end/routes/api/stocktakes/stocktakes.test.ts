/**
 * The stocktake routes (operationIds startStocktake, getStocktake,
 * recordCount, closeStocktake, getVarianceReport) over HTTP: a count sheet
 * submitted twice with one Idempotency-Key counts once, closing refuses the
 * uncounted by name, the variance of the closed stocktake, and refusals.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { ReplyOf } from '@barback/messaging';
import { UNKNOWN_ID, createProductOverHttp, httpBar, type HttpBar } from '../../../../helpers/api.js';

type Stocktake = ReplyOf<'stocktakes.getStocktake'>;
let bar: HttpBar;

beforeAll(async () => {
  bar = await httpBar();
});
afterAll(async () => {
  await bar?.frontEnd.close();
  await bar?.worker.stop();
});

describe('stocktakes over HTTP', () => {
  it('starts, counts once per Idempotency-Key, refuses to close with products uncounted, closes and reports', async () => {
    const m = bar.a.manager;
    const other = await createProductOverHttp(m, { name: `Cider ${Date.now()}` });
    expect((await bar.aBartender.post('/api/v1/stocktakes', {})).statusCode).toBe(403);
    const started = await m.post('/api/v1/stocktakes', {});
    expect(started.statusCode).toBe(201);
    const id = started.json<Stocktake>().id;
    expect((await m.post('/api/v1/stocktakes', {})).statusCode).toBe(409);

    const headers = { 'idempotency-key': `count-${id}` };
    const body = { productId: bar.aProduct.id, fullUnits: 1, partialTenths: 4 };
    const first = await bar.aBartender.post(`/api/v1/stocktakes/${id}/counts`, body, { headers });
    expect(first.statusCode).toBe(200);
    expect(first.json()).toMatchObject({ stocktakeId: id, productId: bar.aProduct.id, countedUnits: 1.4 });
    const again = await bar.aBartender.post(`/api/v1/stocktakes/${id}/counts`, body, { headers });
    expect(again.json()).toEqual(first.json());
    // A field of the path is not taken from the body.
    expect((await bar.aBartender.post(`/api/v1/stocktakes/${id}/counts`, { ...body, stocktakeId: id })).statusCode).toBe(400);

    const sheet = (await bar.aBartender.get(`/api/v1/stocktakes/${id}`)).json<Stocktake>();
    expect(sheet.uncounted.map((u) => u.productId)).toEqual([other.id]);
    const refused = await m.post(`/api/v1/stocktakes/${id}/close`, {});
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error.field).toBe('uncounted');
    expect(refused.json().error.message).toContain(other.name);
    expect((await bar.aBartender.post(`/api/v1/stocktakes/${id}/close`, { uncounted: 'expected' })).statusCode).toBe(403);
    const closed = await m.post(`/api/v1/stocktakes/${id}/close`, { uncounted: 'expected' });
    expect(closed.statusCode).toBe(200);
    expect(closed.json<Stocktake>().status).toBe('closed');

    const variance = await m.get(`/api/v1/stocktakes/${id}/variance`);
    expect(variance.statusCode).toBe(200);
    expect(variance.json<ReplyOf<'stocktakes.getVarianceReport'>>().lines.map((l) => l.productId).sort()).toEqual([bar.aProduct.id, other.id].sort());
    expect((await bar.aBartender.get(`/api/v1/stocktakes/${id}/variance`)).statusCode).toBe(403);
  });

  it('answers 404 for an unknown stocktake and 400 naming the field for a malformed id', async () => {
    expect((await bar.a.manager.get(`/api/v1/stocktakes/${UNKNOWN_ID}`)).statusCode).toBe(404);
    const bad = await bar.a.manager.get('/api/v1/stocktakes/not-an-id');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.field).toBe('id');
  });
});
