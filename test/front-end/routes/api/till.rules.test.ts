/**
 * What the HTTP layer adds to the till, catalogue and sales rules: the CSRF
 * token on every state change, the Idempotency-Key header, 404 for another
 * venue's ids exactly as for unknown ones, 400 for malformed ids, and the
 * business refusals surfacing with their codes and fields.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Worker } from '@barback/back-end';
import { startFrontEnd, type HttpClient, type TestFrontEnd } from '../../../helpers/app.js';
import { startWorker } from '../../../helpers/worker.js';
import { productInput, registerOverHttp, staffOverHttp, type HttpVenue, type Product, type Sale, type Tab } from '../../../helpers/venue.js';

let worker: Worker;
let frontEnd: TestFrontEnd;
let replica: TestFrontEnd;
let a: HttpVenue;
let b: HttpVenue;
let aBartender: HttpClient;
let aBartenderLogin: { email: string; password: string };
let aProduct: Product;
let bProduct: Product;

beforeAll(async () => {
  worker = await startWorker();
  frontEnd = await startFrontEnd();
  replica = await startFrontEnd();
  a = await registerOverHttp(frontEnd, 'http-a');
  b = await registerOverHttp(frontEnd, 'http-b');
  const made = await staffOverHttp(frontEnd, a, 'bartender');
  aBartender = made.client;
  aBartenderLogin = { email: made.email, password: made.password };
  aProduct = await createProductOverHttp(a.manager);
  bProduct = await createProductOverHttp(b.manager);
});
afterAll(async () => {
  await frontEnd?.close();
  await replica?.close();
  await worker?.stop();
});

async function createProductOverHttp(client: HttpClient, overrides: Parameters<typeof productInput>[0] = {}): Promise<Product> {
  const res = await client.post('/api/v1/products', productInput(overrides));
  expect(res.statusCode).toBe(201);
  return res.json() as Product;
}

const pint = (p: Product) => p.servings.find((s) => s.name === 'Pint')!.id;
const half = (p: Product) => p.servings.find((s) => s.name === 'Half')!.id;

async function count(sql: string, values: unknown[]): Promise<number> {
  const db = await worker.db.primary();
  const { rows } = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${sql}`, values);
  return rows[0]!.n;
}

async function openTabWithPint(client: HttpClient, name = 'Tab'): Promise<Tab> {
  const opened = await client.post('/api/v1/tabs', { name });
  expect(opened.statusCode).toBe(201);
  const tab = opened.json() as Tab;
  const added = await client.post('/api/v1/tabs/lines', { tabId: tab.id, servingId: pint(aProduct), quantity: 1 });
  expect(added.statusCode).toBe(200);
  return added.json() as Tab;
}

async function quickSale(client: HttpClient, product: Product): Promise<Sale> {
  const res = await client.post('/api/v1/sales', { lines: [{ servingId: half(product), quantity: 1 }], payments: [{ method: 'cash', amountCents: 300 }] });
  expect(res.statusCode).toBe(201);
  return res.json() as Sale;
}

describe('CSRF', () => {
  it('refuses every state change made with the cookie but without the token, and records nothing', async () => {
    const tab = await openTabWithPint(aBartender, 'CSRF');
    const sale = await quickSale(a.manager, aProduct);
    const tabs = await count('tabs WHERE venue_id = $1', [a.session.venue.id]);
    const lines = await count('tab_lines WHERE venue_id = $1', [a.session.venue.id]);
    const calls: [string, string, object][] = [
      ['POST', '/api/v1/products', productInput()],
      ['PATCH', `/api/v1/products/${aProduct.id}`, { name: 'Forged rename' }],
      ['POST', '/api/v1/tabs', { name: 'Forged tab' }],
      ['POST', '/api/v1/tabs/lines', { tabId: tab.id, servingId: pint(aProduct), quantity: 1 }],
      ['POST', '/api/v1/tabs/lines/void', { tabId: tab.id, lineId: tab.lines[0]!.id, reason: 'forged' }],
      ['POST', '/api/v1/tabs/close', { tabId: tab.id, payments: [{ method: 'cash', amountCents: 560 }] }],
      ['POST', '/api/v1/sales', { lines: [{ servingId: pint(aProduct), quantity: 1 }], payments: [{ method: 'cash', amountCents: 560 }] }],
      ['POST', '/api/v1/refunds', { saleId: sale.id, reason: 'forged' }],
    ];
    for (const [method, url, payload] of calls) {
      for (const headers of [{}, { 'x-csrf-token': 'forged' }]) {
        const res = await a.manager.request({ method: method as 'POST', url, payload, headers, csrf: false });
        expect({ method, url, status: res.statusCode, code: res.json().error?.code }).toEqual({ method, url, status: 403, code: 'BB_CSRF' });
      }
    }
    expect(await count('tabs WHERE venue_id = $1', [a.session.venue.id])).toBe(tabs);
    expect(await count('tab_lines WHERE venue_id = $1', [a.session.venue.id])).toBe(lines);
    expect(await count('refunds WHERE venue_id = $1', [a.session.venue.id])).toBe(0);
    const current = await a.manager.get(`/api/v1/products/${aProduct.id}`);
    expect(current.json().name).toBe(aProduct.name);
    expect((await a.manager.get(`/api/v1/tabs/${tab.id}`)).json()).toMatchObject({ status: 'open', grossCents: 560 });
  });
});

describe('Idempotency-Key', () => {
  it('makes a repeated quick sale return the first sale and record nothing new, on any replica', async () => {
    const headers = { 'idempotency-key': `sale-${randomUUID()}` };
    const body = { lines: [{ servingId: pint(aProduct), quantity: 2 }], payments: [{ method: 'card', amountCents: 1120 }] };
    const before = await count('tabs WHERE venue_id = $1', [a.session.venue.id]);
    const first = await aBartender.post('/api/v1/sales', body, { headers });
    expect(first.statusCode).toBe(201);
    const again = await aBartender.post('/api/v1/sales', body, { headers });
    expect(again.json()).toEqual(first.json());
    // The same account logged in on the other front end: still the same request.
    const elsewhereClient = replica.client();
    expect((await elsewhereClient.post('/api/v1/login', { email: aBartenderLogin.email, password: aBartenderLogin.password }, { csrf: false })).statusCode).toBe(200);
    const elsewhere = await elsewhereClient.post('/api/v1/sales', body, { headers });
    expect(elsewhere.statusCode).toBe(201);
    expect(elsewhere.json().id).toBe(first.json().id);
    expect(await count('tabs WHERE venue_id = $1', [a.session.venue.id])).toBe(before + 1);
    expect(await count('payments WHERE tab_id = $1', [first.json().id])).toBe(1);

    // Without a key, the same body is a new sale.
    const fresh = await aBartender.post('/api/v1/sales', body);
    expect(fresh.json().id).not.toBe(first.json().id);
  });

  it('adds a tab line once and closes a tab once', async () => {
    const opened = (await aBartender.post('/api/v1/tabs', { name: 'Keyed' })).json() as Tab;
    const lineKey = { 'idempotency-key': `line-${randomUUID()}` };
    const line = { tabId: opened.id, servingId: half(aProduct), quantity: 1 };
    const l1 = await aBartender.post('/api/v1/tabs/lines', line, { headers: lineKey });
    const l2 = await aBartender.post('/api/v1/tabs/lines', line, { headers: lineKey });
    expect(l2.json()).toEqual(l1.json());
    expect(await count('tab_lines WHERE tab_id = $1', [opened.id])).toBe(1);

    const closeKey = { 'idempotency-key': `close-${randomUUID()}` };
    const close = { tabId: opened.id, payments: [{ method: 'cash', amountCents: 100 }, { method: 'card', amountCents: 200 }] };
    const c1 = await aBartender.post('/api/v1/tabs/close', close, { headers: closeKey });
    expect(c1.statusCode).toBe(200);
    const c2 = await aBartender.post('/api/v1/tabs/close', close, { headers: closeKey });
    expect(c2.statusCode).toBe(200);
    expect(c2.json()).toEqual(c1.json());
    expect(await count('payments WHERE tab_id = $1', [opened.id])).toBe(2);
    // A new key is a new attempt: the tab is closed, nothing is charged again.
    const c3 = await aBartender.post('/api/v1/tabs/close', close, { headers: { 'idempotency-key': `close-${randomUUID()}` } });
    expect(c3.statusCode).toBe(409);
    expect(c3.json().error.code).toBe('BB_TAB_CLOSED');
    expect(await count('payments WHERE tab_id = $1', [opened.id])).toBe(2);
  });

  it('is scoped to the caller: the same key from another account is another request', async () => {
    const key = { 'idempotency-key': `shared-${randomUUID()}` };
    const body = { lines: [{ servingId: half(aProduct), quantity: 1 }], payments: [{ method: 'cash', amountCents: 300 }] };
    const mine = await aBartender.post('/api/v1/sales', body, { headers: key });
    const theirs = await a.manager.post('/api/v1/sales', body, { headers: key });
    expect(mine.statusCode).toBe(201);
    expect(theirs.statusCode).toBe(201);
    expect(theirs.json().id).not.toBe(mine.json().id);
  });
});

describe("another venue's ids", () => {
  it('answer 404 exactly like ids that do not exist, on every route that takes one', async () => {
    const aTab = await openTabWithPint(a.manager, 'A');
    const aSale = await quickSale(a.manager, aProduct);
    const bTabRes = await b.manager.post('/api/v1/tabs', { name: 'B' });
    const bTab = bTabRes.json() as Tab;
    const bSale = await quickSale(b.manager, bProduct);
    const aBartenderId = ((await a.manager.get('/api/v1/staff')).json() as { items: { id: string; role: string }[] }).items.find(
      (s) => s.role === 'bartender',
    )!.id;
    const r = () => randomUUID();
    type Call = { what: string; send: (ids: { foreign: boolean }) => Promise<{ statusCode: number; json(): unknown }> };
    const pick = (foreign: boolean, foreignId: string) => (foreign ? foreignId : r());
    const calls: Call[] = [
      { what: 'GET product', send: ({ foreign }) => b.manager.get(`/api/v1/products/${pick(foreign, aProduct.id)}`) },
      {
        what: 'PATCH product',
        send: ({ foreign }) => b.manager.request({ method: 'PATCH', url: `/api/v1/products/${pick(foreign, aProduct.id)}`, payload: { name: 'Mine now' }, csrf: true }),
      },
      { what: 'GET tab', send: ({ foreign }) => b.manager.get(`/api/v1/tabs/${pick(foreign, aTab.id)}`) },
      { what: 'add line (tab)', send: ({ foreign }) => b.manager.post('/api/v1/tabs/lines', { tabId: pick(foreign, aTab.id), servingId: pint(bProduct), quantity: 1 }) },
      { what: 'add line (serving)', send: ({ foreign }) => b.manager.post('/api/v1/tabs/lines', { tabId: bTab.id, servingId: pick(foreign, pint(aProduct)), quantity: 1 }) },
      {
        what: 'void line (line)',
        send: ({ foreign }) => b.manager.post('/api/v1/tabs/lines/void', { tabId: bTab.id, lineId: pick(foreign, aTab.lines[0]!.id), reason: 'probe' }),
      },
      {
        what: 'void line (tab)',
        send: ({ foreign }) =>
          b.manager.post('/api/v1/tabs/lines/void', foreign ? { tabId: aTab.id, lineId: aTab.lines[0]!.id, reason: 'probe' } : { tabId: r(), lineId: r(), reason: 'probe' }),
      },
      { what: 'close tab', send: ({ foreign }) => b.manager.post('/api/v1/tabs/close', { tabId: pick(foreign, aTab.id), payments: [{ method: 'cash', amountCents: 560 }] }) },
      { what: 'GET sale', send: ({ foreign }) => b.manager.get(`/api/v1/sales/${pick(foreign, aSale.id)}`) },
      { what: 'refund (sale)', send: ({ foreign }) => b.manager.post('/api/v1/refunds', { saleId: pick(foreign, aSale.id), reason: 'probe' }) },
      { what: 'refund (lines)', send: ({ foreign }) => b.manager.post('/api/v1/refunds', { saleId: bSale.id, reason: 'probe', lineIds: [pick(foreign, aSale.lines[0]!.id)] }) },
      { what: 'disable staff', send: ({ foreign }) => b.manager.post('/api/v1/staff/disable', { staffId: pick(foreign, aBartenderId) }) },
      {
        what: 'quick sale (serving)',
        send: ({ foreign }) => b.manager.post('/api/v1/sales', { lines: [{ servingId: pick(foreign, pint(aProduct)), quantity: 1 }], payments: [{ method: 'cash', amountCents: 560 }] }),
      },
    ];
    for (const call of calls) {
      const foreign = await call.send({ foreign: true });
      const unknown = await call.send({ foreign: false });
      expect({ what: call.what, status: foreign.statusCode }).toEqual({ what: call.what, status: 404 });
      expect({ what: call.what, body: foreign.json() }).toEqual({ what: call.what, body: unknown.json() });
      expect((foreign.json() as { error: { code: string } }).error.code).toBe('BB_NOT_FOUND');
    }
    // A's things are as they were.
    expect((await a.manager.get(`/api/v1/tabs/${aTab.id}`)).json()).toMatchObject({ status: 'open', grossCents: 560 });
    expect((await a.manager.get(`/api/v1/sales/${aSale.id}`)).json()).toMatchObject({ refunds: [] });
    expect((await aBartender.get('/api/v1/products')).statusCode).toBe(200);
  });

  it('a malformed id is the caller’s mistake: 400, not 404', async () => {
    for (const url of ['/api/v1/products/not-a-uuid', '/api/v1/tabs/not-a-uuid', '/api/v1/sales/not-a-uuid']) {
      const res = await a.manager.get(url);
      expect({ url, status: res.statusCode, code: res.json().error.code }).toEqual({ url, status: 400, code: 'BB_VALIDATION' });
    }
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

  it('payments that do not add up, a void without a reason, a closed tab', async () => {
    const tab = await openTabWithPint(aBartender, 'Refusals');
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
