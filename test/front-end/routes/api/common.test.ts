/**
 * What every API route shares (front-end/src/routes/api/common.ts): the
 * Idempotency-Key header (a repeat returns the first result and records
 * nothing new, on any replica, per caller), 400 for a malformed path id, and
 * 404 for another venue's ids exactly as for unknown ones.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Worker } from '@barback/back-end';
import { startFrontEnd, type HttpClient, type TestFrontEnd } from '../../../helpers/app.js';
import { createProductOverHttp, half, lager, openTabWithPint, pint, quickSale, registeredManager } from '../../../helpers/api.js';
import { startWorker } from '../../../helpers/worker.js';
import { registerOverHttp, staffOverHttp, type HttpVenue, type Product, type Tab } from '../../../helpers/venue.js';

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

async function count(sql: string, values: unknown[]): Promise<number> {
  const db = await worker.db.primary();
  const { rows } = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${sql}`, values);
  return rows[0]!.n;
}

describe('Idempotency-Key', () => {
  it('returns the first result for a repeated call and records nothing new', async () => {
    const client = await registeredManager(frontEnd, 'idem');
    const key = (name: string) => ({ 'idempotency-key': `${name}-${Date.now()}` });

    const productKey = key('product');
    const p1 = await client.post('/api/v1/products', lager({ name: 'Stout' }), { headers: productKey });
    const p2 = await client.post('/api/v1/products', lager({ name: 'Stout' }), { headers: productKey });
    expect(p1.statusCode).toBe(201);
    expect(p2.statusCode).toBe(201);
    expect(p2.json().id).toBe(p1.json().id);
    const servingId = p1.json().servings[0].id as string;

    const tabKey = key('tab');
    const t1 = await client.post('/api/v1/tabs', { name: 'Bar' }, { headers: tabKey });
    const t2 = await client.post('/api/v1/tabs', { name: 'Bar' }, { headers: tabKey });
    expect(t2.json().id).toBe(t1.json().id);
    const tabId = t1.json().id as string;

    const lineKey = key('line');
    const l1 = await client.post('/api/v1/tabs/lines', { tabId, servingId, quantity: 1 }, { headers: lineKey });
    const l2 = await client.post('/api/v1/tabs/lines', { tabId, servingId, quantity: 1 }, { headers: lineKey });
    expect(l2.statusCode).toBe(200);
    expect(l2.json()).toEqual(l1.json());
    expect((await client.get(`/api/v1/tabs/${tabId}`)).json().lines).toHaveLength(1);

    const payKey = key('pay');
    const pay = { tabId, payments: [{ method: 'cash', amountCents: 600 }] };
    const c1 = await client.post('/api/v1/tabs/close', pay, { headers: payKey });
    const c2 = await client.post('/api/v1/tabs/close', pay, { headers: payKey });
    expect(c1.statusCode).toBe(200);
    expect(c2.statusCode).toBe(200);
    expect(c2.json()).toEqual(c1.json());
    const primary = await worker.db.primary();
    const { rows } = await primary.query('SELECT count(*)::int AS n FROM payments WHERE tab_id = $1', [tabId]);
    expect(rows[0].n).toBe(1);

    const saleKey = key('sale');
    const sale = { lines: [{ servingId, quantity: 1 }], payments: [{ method: 'card', amountCents: 600 }] };
    const s1 = await client.post('/api/v1/sales', sale, { headers: saleKey });
    const s2 = await client.post('/api/v1/sales', sale, { headers: saleKey });
    expect(s2.json().id).toBe(s1.json().id);

    const refundKey = key('refund');
    const r1 = await client.post('/api/v1/refunds', { saleId: s1.json().id, reason: 'Spilled' }, { headers: refundKey });
    const r2 = await client.post('/api/v1/refunds', { saleId: s1.json().id, reason: 'Spilled' }, { headers: refundKey });
    expect(r1.statusCode).toBe(201);
    expect(r2.statusCode).toBe(201);
    expect(r2.json().id).toBe(r1.json().id);
  });

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
    const opened = (await aBartender.post('/api/v1/tabs', { name: 'Keyed' })).json<Tab>();
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
    const aTab = await openTabWithPint(a.manager, aProduct, 'A');
    const aSale = await quickSale(a.manager, aProduct);
    const bTabRes = await b.manager.post('/api/v1/tabs', { name: 'B' });
    const bTab = bTabRes.json<Tab>();
    const bSale = await quickSale(b.manager, bProduct);
    const aBartenderId = (await a.manager.get('/api/v1/staff')).json<{ items: { id: string; role: string }[] }>().items.find(
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
