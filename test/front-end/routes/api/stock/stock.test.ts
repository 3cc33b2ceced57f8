/**
 * GET /api/v1/stock/reorder-list (getReorderList) and GET
 * /api/v1/products/{id}/stock-moves (listStockMoves) over HTTP: managers only.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { ReplyOf } from '@barback/messaging';
import { UNKNOWN_ID, httpBar, type HttpBar } from '../../../../helpers/api.js';

let bar: HttpBar;

beforeAll(async () => {
  bar = await httpBar();
});
afterAll(async () => {
  await bar?.frontEnd.close();
  await bar?.worker.stop();
});

describe('stock over HTTP', () => {
  it('lists what to reorder, for managers', async () => {
    const list = await bar.a.manager.get('/api/v1/stock/reorder-list');
    expect(list.statusCode).toBe(200);
    const body = list.json<ReplyOf<'stock.getReorderList'>>();
    // The new product has no stock: below its par unless its par is 0.
    const listed = body.groups.flatMap((g) => g.lines.map((l) => l.productId));
    expect(listed).toEqual(bar.aProduct.parUnits > 0 ? [bar.aProduct.id] : []);
    expect((await bar.aBartender.get('/api/v1/stock/reorder-list')).statusCode).toBe(403);
  });

  it('lists a product’s moves, 404 for an unknown product and 400 for a malformed id', async () => {
    const moves = await bar.a.manager.get(`/api/v1/products/${bar.aProduct.id}/stock-moves?limit=10`);
    expect(moves.statusCode).toBe(200);
    expect(moves.json()).toMatchObject({ items: expect.any(Array), nextCursor: null });
    expect((await bar.a.manager.get(`/api/v1/products/${UNKNOWN_ID}/stock-moves`)).statusCode).toBe(404);
    const malformed = await bar.a.manager.get('/api/v1/products/not-an-id/stock-moves');
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().error.field).toBe('id');
  });
});
