/**
 * The till routes (front-end/src/routes/api/till/), end to end through the
 * real broker and worker: open a tab, ring and void lines, close it with
 * payments that add up; field-naming 400s for bodies and uuid path ids, 404
 * for unknown ones, and the till's refusals with their codes.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Worker } from '@barback/back-end';
import type { HttpClient, TestFrontEnd } from '../../../../helpers/app.js';
import { createProduct, httpBar, openTabWithPint, pint, registeredManager, UNKNOWN_ID } from '../../../../helpers/api.js';
import type { Product } from '../../../../helpers/venue.js';

let worker: Worker;
let frontEnd: TestFrontEnd;
let aBartender: HttpClient;
let aProduct: Product;

beforeAll(async () => {
  ({ worker, frontEnd, aBartender, aProduct } = await httpBar());
});
afterAll(async () => {
  await frontEnd?.close();
  await worker?.stop();
});

async function openTab(client: HttpClient, name = 'Table 1'): Promise<string> {
  const res = await client.post('/api/v1/tabs', { name });
  expect(res.statusCode).toBe(201);
  return res.json<{ id: string }>().id;
}

describe('tab and sale routes', () => {
  it('opens a tab, rings lines, voids one, closes it split and refunds it', async () => {
    const client = await registeredManager(frontEnd, 'tab');
    const product = await createProduct(client);
    const [pint, half] = product.servings;
    const tabId = await openTab(client, 'Table 4');

    const first = await client.post('/api/v1/tabs/lines', { tabId, servingId: pint!.id, quantity: 2 });
    expect(first.statusCode).toBe(200);
    const second = await client.post('/api/v1/tabs/lines', { tabId, servingId: half!.id, quantity: 1 });
    expect(second.statusCode).toBe(200);
    const tab = second.json();
    expect(tab).toMatchObject({ id: tabId, status: 'open', grossCents: 1520 });
    expect(tab.lines).toHaveLength(2);

    const open = await client.get('/api/v1/tabs');
    expect(open.statusCode).toBe(200);
    expect(open.json().items.map((t: { id: string }) => t.id)).toContain(tabId);
    expect((await client.get(`/api/v1/tabs/${tabId}`)).json().grossCents).toBe(1520);

    const noReason = await client.post('/api/v1/tabs/lines/void', { tabId, lineId: tab.lines[1].id });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().error.field).toBe('reason');
    const voided = await client.post('/api/v1/tabs/lines/void', { tabId, lineId: tab.lines[1].id, reason: 'Rang the wrong size' });
    expect(voided.statusCode).toBe(200);
    expect(voided.json()).toMatchObject({ grossCents: 1200, lines: [{ voided: false }, { voided: true, voidReason: 'Rang the wrong size' }] });

    const mismatch = await client.post('/api/v1/tabs/close', { tabId, payments: [{ method: 'cash', amountCents: 1000 }] });
    expect(mismatch.statusCode).toBe(400);
    expect(mismatch.json().error.code).toBe('BB_PAYMENTS_MISMATCH');

    const closed = await client.post('/api/v1/tabs/close', {
      tabId,
      payments: [
        { method: 'cash', amountCents: 700 },
        { method: 'card', amountCents: 500 },
      ],
    });
    expect(closed.statusCode).toBe(200);
    const sale = closed.json();
    expect(sale).toMatchObject({ id: tabId, grossCents: 1200, vatCents: 224, netCents: 976 });
    expect(sale.payments).toHaveLength(2);
    expect((await client.get('/api/v1/tabs')).json().items.map((t: { id: string }) => t.id)).not.toContain(tabId);

    const got = await client.get(`/api/v1/sales/${sale.id}`);
    expect(got.statusCode).toBe(200);
    expect(got.json().grossCents).toBe(1200);

    const from = new Date(Date.now() - 3_600_000).toISOString();
    const to = new Date(Date.now() + 3_600_000).toISOString();
    const listed = await client.get(`/api/v1/sales?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`);
    expect(listed.statusCode).toBe(200);
    expect(listed.json().items.map((s: { id: string }) => s.id)).toContain(sale.id);

    const noRefundReason = await client.post('/api/v1/refunds', { saleId: sale.id });
    expect(noRefundReason.statusCode).toBe(400);
    expect(noRefundReason.json().error.field).toBe('reason');
    // Paid split: the refund says how the money goes back.
    const refund = await client.post('/api/v1/refunds', { saleId: sale.id, reason: 'Flat pint', method: 'cash' });
    expect(refund.statusCode).toBe(201);
    expect(refund.json()).toMatchObject({ saleId: sale.id, grossCents: -1200, vatCents: -224, netCents: -976 });
  });

  it('names the field of bad bodies and query strings', async () => {
    const client = await registeredManager(frontEnd, 'bad-tab');
    const noName = await client.post('/api/v1/tabs', {});
    expect(noName.statusCode).toBe(400);
    expect(noName.json().error.field).toBe('name');

    const badServing = await client.post('/api/v1/tabs/lines', { tabId: UNKNOWN_ID, servingId: 'pint', quantity: 1 });
    expect(badServing.statusCode).toBe(400);
    expect(badServing.json().error.field).toBe('servingId');

    const zero = await client.post('/api/v1/tabs/lines', { tabId: UNKNOWN_ID, servingId: UNKNOWN_ID, quantity: 0 });
    expect(zero.statusCode).toBe(400);
    expect(zero.json().error.field).toBe('quantity');

    const badMethod = await client.post('/api/v1/tabs/close', { tabId: UNKNOWN_ID, payments: [{ method: 'cheque', amountCents: 100 }] });
    expect(badMethod.statusCode).toBe(400);
    expect(badMethod.json().error.field).toBe('payments.0.method');

    const noLines = await client.post('/api/v1/sales', { lines: [], payments: [{ method: 'cash', amountCents: 100 }] });
    expect(noLines.statusCode).toBe(400);
    expect(noLines.json().error.field).toBe('lines');

    const badFrom = await client.get('/api/v1/sales?from=yesterday');
    expect(badFrom.statusCode).toBe(400);
    expect(badFrom.json().error.field).toBe('from');

    for (const url of ['/api/v1/tabs/nope', '/api/v1/sales/1234']) {
      const res = await client.get(url);
      expect(res.statusCode).toBe(400);
      expect(res.json().error.field).toBe('id');
    }
    expect((await client.get(`/api/v1/tabs/${UNKNOWN_ID}`)).statusCode).toBe(404);
    expect((await client.get(`/api/v1/sales/${UNKNOWN_ID}`)).statusCode).toBe(404);
    expect((await client.post('/api/v1/tabs/lines', { tabId: UNKNOWN_ID, servingId: UNKNOWN_ID, quantity: 1 })).statusCode).toBe(404);
  });
});

describe('business refusals over HTTP', () => {
  it('payments that do not add up, a void without a reason, a closed tab', async () => {
    const tab = await openTabWithPint(aBartender, aProduct, 'Refusals');
    const noReason = await aBartender.post('/api/v1/tabs/lines/void', { tabId: tab.id, lineId: tab.lines[0]!.id });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().error).toMatchObject({ code: 'BB_VALIDATION', field: 'reason' });
    const blank = await aBartender.post('/api/v1/tabs/lines/void', { tabId: tab.id, lineId: tab.lines[0]!.id, reason: '   ' });
    expect(blank.statusCode).toBe(400);
    const short = await aBartender.post('/api/v1/tabs/close', { tabId: tab.id, payments: [{ method: 'cash', amountCents: 500 }] });
    expect(short.statusCode).toBe(400);
    expect(short.json().error.code).toBe('BB_PAYMENTS_MISMATCH');
    const paid = await aBartender.post('/api/v1/tabs/close', { tabId: tab.id, payments: [{ method: 'cash', amountCents: 60 }, { method: 'card', amountCents: 500 }] });
    expect(paid.statusCode).toBe(200);
    const more = await aBartender.post('/api/v1/tabs/lines', { tabId: tab.id, servingId: pint(aProduct), quantity: 1 });
    expect(more.statusCode).toBe(409);
    expect(more.json().error.code).toBe('BB_TAB_CLOSED');
  });
});
