/**
 * The CSRF token (front-end/src/plugins/external/csrf.ts) on every state
 * change of the API: without it, or with a forged one, 403 BB_CSRF and
 * nothing recorded; and no call at all without a session.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Worker } from '@barback/back-end';
import type { HttpClient, TestFrontEnd } from '../../../helpers/app.js';
import { httpBar, lager, openTabWithPint, pint, quickSale, registeredManager, UNKNOWN_ID } from '../../../helpers/api.js';
import { productInput, type HttpVenue, type Product } from '../../../helpers/venue.js';

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

async function count(sql: string, values: unknown[]): Promise<number> {
  const db = await worker.db.primary();
  const { rows } = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${sql}`, values);
  return rows[0]!.n;
}

describe('sessions and CSRF', () => {
  it('refuses every state change without the CSRF token, and every call without a session', async () => {
    const client = await registeredManager(frontEnd, 'csrf');
    // Valid bodies: the schema is checked before the token, and this is about the token alone.
    const id = UNKNOWN_ID;
    const payments = [{ method: 'cash', amountCents: 100 }];
    const writes: [string, string, object][] = [
      ['POST', '/api/v1/products', lager()],
      ['PATCH', `/api/v1/products/${id}`, { name: 'Renamed' }],
      ['POST', '/api/v1/tabs', { name: 'Table 9' }],
      ['POST', '/api/v1/tabs/lines', { tabId: id, servingId: id, quantity: 1 }],
      ['POST', '/api/v1/tabs/lines/void', { tabId: id, lineId: id, reason: 'No' }],
      ['POST', '/api/v1/tabs/close', { tabId: id, payments }],
      ['POST', '/api/v1/sales', { lines: [{ servingId: id, quantity: 1 }], payments }],
      ['POST', '/api/v1/refunds', { saleId: id, reason: 'No' }],
      ['POST', '/api/v1/staff', { name: 'Eve', email: 'eve@example.ie', role: 'manager', password: 'a long password' }],
      ['POST', '/api/v1/staff/disable', { staffId: id }],
      ['POST', '/api/v1/password', { currentPassword: 'whatever', newPassword: 'a long password' }],
    ];
    for (const [method, url, payload] of writes) {
      const res = await client.request({ method, url, payload, csrf: false });
      expect({ url, status: res.statusCode, code: res.json().error.code }).toEqual({ url, status: 403, code: 'BB_CSRF' });
      const forged = await client.request({ method, url, payload, csrf: false, headers: { 'x-csrf-token': 'forged' } });
      expect({ url, status: forged.statusCode }).toEqual({ url, status: 403 });
    }
    expect((await client.get('/api/v1/tabs')).json().items).toEqual([]);
    const anonymous = frontEnd.client();
    for (const url of ['/api/v1/products', '/api/v1/tabs', '/api/v1/sales', '/api/v1/staff', '/api/v1/audit']) {
      const res = await anonymous.get(url);
      expect({ url, status: res.statusCode }).toEqual({ url, status: 401 });
    }
  });
});

describe('CSRF', () => {
  it('refuses every state change made with the cookie but without the token, and records nothing', async () => {
    const tab = await openTabWithPint(aBartender, aProduct, 'CSRF');
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
        const res = await a.manager.request({ method, url, payload, headers, csrf: false });
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
