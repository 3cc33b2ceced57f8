/**
 * The sales routes (front-end/src/routes/api/sales/), end to end through the
 * real broker and worker: a quick sale with 201, refunds (a reason required,
 * managers only, once), and sales listed by period. Paging the list is in
 * list-sales.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Worker } from '@barback/back-end';
import type { HttpClient, TestFrontEnd } from '../../../../helpers/app.js';
import { createProduct, httpBar, quickSale, registeredManager } from '../../../../helpers/api.js';
import type { HttpVenue, Product } from '../../../../helpers/venue.js';

let worker: Worker;
let frontEnd: TestFrontEnd;
let a: HttpVenue;
let aBartender: HttpClient;
let aProduct: Product;

beforeAll(async () => {
  ({ worker, frontEnd, a, aBartender, aProduct } = await httpBar());
});
afterAll(async () => {
  await frontEnd?.close();
  await worker?.stop();
});

describe('tab and sale routes', () => {
  it('records a quick sale with 201', async () => {
    const client = await registeredManager(frontEnd, 'quick');
    const product = await createProduct(client);
    const res = await client.post('/api/v1/sales', {
      lines: [{ servingId: product.servings[0]!.id, quantity: 3 }],
      payments: [{ method: 'card', amountCents: 1800 }],
    });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ grossCents: 1800, lines: [{ quantity: 3 }], payments: [{ method: 'card', amountCents: 1800 }] });
  });
});

describe('business refusals over HTTP', () => {
  it('a refund without a reason is 400; a bartender’s refund is 403', async () => {
    const sale = await quickSale(aBartender, aProduct);
    const noReason = await a.manager.post('/api/v1/refunds', { saleId: sale.id });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().error.field).toBe('reason');
    const denied = await aBartender.post('/api/v1/refunds', { saleId: sale.id, reason: 'not mine to give' });
    expect(denied.statusCode).toBe(403);
    expect(denied.json().error.code).toBe('BB_FORBIDDEN');
    const refunded = await a.manager.post('/api/v1/refunds', { saleId: sale.id, reason: 'Glass was dirty' });
    expect(refunded.statusCode).toBe(201);
    expect(refunded.json()).toMatchObject({ saleId: sale.id, grossCents: -300 });
    const twice = await a.manager.post('/api/v1/refunds', { saleId: sale.id, reason: 'again' });
    expect(twice.statusCode).toBe(409);
    const read = await aBartender.get(`/api/v1/sales/${sale.id}`);
    expect(read.json()).toMatchObject({ grossCents: 300 });
    expect(read.json().refunds).toHaveLength(1);
  });

  it('lists sales in a period', async () => {
    const sale = await quickSale(aBartender, aProduct);
    const from = new Date(Date.parse(sale.closedAt) - 60_000).toISOString();
    const to = new Date(Date.parse(sale.closedAt) + 60_000).toISOString();
    const inside = await aBartender.get(`/api/v1/sales?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`);
    expect(inside.statusCode).toBe(200);
    expect(inside.json().items.map((s: { id: string }) => s.id)).toContain(sale.id);
    const later = new Date(Date.parse(sale.closedAt) + 3_600_000).toISOString();
    const outside = await aBartender.get(`/api/v1/sales?from=${encodeURIComponent(later)}`);
    expect(outside.json().items.map((s: { id: string }) => s.id)).not.toContain(sale.id);
  });
});
