/**
 * The till, catalogue, sales, staff and audit routes, end to end through the
 * real broker and worker: status codes, CSRF, field-naming 400s, uuid path
 * ids, Idempotency-Key replays and the OpenAPI document. The business rules
 * themselves are covered by the *.rules.test.ts files.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Worker } from '@barback/back-end';
import { HttpClient, startFrontEnd, type TestFrontEnd } from '../../../helpers/app.js';
import { newAccount } from '../../../helpers/venue.js';
import { startWorker } from '../../../helpers/worker.js';

let worker: Worker;
let frontEnd: TestFrontEnd;

beforeAll(async () => {
  worker = await startWorker();
  frontEnd = await startFrontEnd();
});

afterAll(async () => {
  await frontEnd?.close();
  await worker?.stop();
});

const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';

async function registeredManager(label = 'api'): Promise<HttpClient> {
  const client = frontEnd.client();
  const res = await client.post('/api/v1/register', newAccount(label), { csrf: false });
  expect(res.statusCode).toBe(201);
  return client;
}

let productCount = 0;
function lager(overrides: Record<string, unknown> = {}) {
  productCount += 1;
  return {
    name: `Lager ${productCount}`,
    category: 'draught',
    abv: 4.3,
    vatClass: 'standard',
    unitMl: 50_000,
    unitCostCents: 12_000,
    parUnits: 2,
    servings: [
      { name: 'Pint', ml: 568, priceCents: 600 },
      { name: 'Half', ml: 284, priceCents: 320 },
    ],
    ...overrides,
  };
}

interface ProductBody {
  id: string;
  name: string;
  servings: { id: string; name: string; priceCents: number }[];
}

async function createProduct(client: HttpClient, overrides: Record<string, unknown> = {}): Promise<ProductBody> {
  const res = await client.post('/api/v1/products', lager(overrides));
  expect(res.statusCode).toBe(201);
  return res.json() as ProductBody;
}

async function openTab(client: HttpClient, name = 'Table 1'): Promise<string> {
  const res = await client.post('/api/v1/tabs', { name });
  expect(res.statusCode).toBe(201);
  return (res.json() as { id: string }).id;
}

function patch(client: HttpClient, url: string, payload: object, headers: Record<string, string> = {}) {
  return client.request({ method: 'PATCH', url, payload, headers, csrf: true });
}

describe('catalogue routes', () => {
  it('creates, reads, lists and updates a product', async () => {
    const client = await registeredManager('cat');
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
    expect((list.json() as { items: { id: string }[] }).items.map((p) => p.id)).toContain(created.id);

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
    const client = await registeredManager('null-ml');
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
    const client = await registeredManager('mup');
    const res = await client.post('/api/v1/products', lager({ servings: [{ name: 'Pint', ml: 568, priceCents: 150 }] }));
    expect(res.statusCode).toBe(400);
    const error = res.json().error;
    expect(error).toMatchObject({ code: 'BB_BELOW_MINIMUM_PRICE', field: 'servings.0.priceCents' });
    expect(error.message).toContain('€1.93');
  });

  it('names the field of a bad body', async () => {
    const client = await registeredManager('bad-product');
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
    const owner = await registeredManager('venue-a');
    const product = await createProduct(owner);
    const stranger = await registeredManager('venue-b');

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

describe('tab and sale routes', () => {
  it('opens a tab, rings lines, voids one, closes it split and refunds it', async () => {
    const client = await registeredManager('tab');
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
    const refund = await client.post('/api/v1/refunds', { saleId: sale.id, reason: 'Flat pint' });
    expect(refund.statusCode).toBe(201);
    expect(refund.json()).toMatchObject({ saleId: sale.id, grossCents: -1200, vatCents: -224, netCents: -976 });
  });

  it('records a quick sale with 201', async () => {
    const client = await registeredManager('quick');
    const product = await createProduct(client);
    const res = await client.post('/api/v1/sales', {
      lines: [{ servingId: product.servings[0]!.id, quantity: 3 }],
      payments: [{ method: 'card', amountCents: 1800 }],
    });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ grossCents: 1800, lines: [{ quantity: 3 }], payments: [{ method: 'card', amountCents: 1800 }] });
  });

  it('names the field of bad bodies and query strings', async () => {
    const client = await registeredManager('bad-tab');
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

describe('Idempotency-Key', () => {
  it('returns the first result for a repeated call and records nothing new', async () => {
    const client = await registeredManager('idem');
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
});

describe('staff, password and audit routes', () => {
  it('creates a bartender who must change the initial password first, then is held to the role', async () => {
    const manager = await registeredManager('staff');
    const person = newAccount('bartender');
    const staffKey = { 'idempotency-key': `staff-${person.email}` };
    const created = await manager.post('/api/v1/staff', { name: person.name, email: person.email, role: 'bartender', password: person.password }, { headers: staffKey });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ email: person.email, role: 'bartender', active: true, mustChangePassword: true });
    expect(JSON.stringify(created.json())).not.toContain('argon2');
    const again = await manager.post('/api/v1/staff', { name: person.name, email: person.email, role: 'bartender', password: person.password }, { headers: staffKey });
    expect(again.json().id).toBe(created.json().id);

    const taken = await manager.post('/api/v1/staff', { name: 'Other', email: person.email, role: 'bartender', password: person.password });
    expect(taken.statusCode).toBe(409);
    expect(taken.json().error.field).toBe('email');
    const short = await manager.post('/api/v1/staff', { name: 'Other', email: `x-${person.email}`, role: 'bartender', password: 'short' });
    expect(short.statusCode).toBe(400);
    expect(short.json().error.field).toBe('password');
    const badRole = await manager.post('/api/v1/staff', { name: 'Other', email: `y-${person.email}`, role: 'owner', password: person.password });
    expect(badRole.json().error.field).toBe('role');

    const listed = await manager.get('/api/v1/staff');
    expect(listed.statusCode).toBe(200);
    expect(listed.json().items.map((m: { id: string }) => m.id)).toContain(created.json().id);

    const bartender = frontEnd.client();
    expect((await bartender.post('/api/v1/login', { email: person.email, password: person.password }, { csrf: false })).statusCode).toBe(200);
    const blocked = await bartender.get('/api/v1/products');
    expect(blocked.statusCode).toBe(403);
    expect(blocked.json().error.code).toBe('BB_PASSWORD_CHANGE_REQUIRED');
    expect((await bartender.get('/api/v1/me')).statusCode).toBe(200);

    const wrong = await bartender.post('/api/v1/password', { currentPassword: 'not my password', newPassword: 'a brand new password' });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().error.field).toBe('currentPassword');
    const same = await bartender.post('/api/v1/password', { currentPassword: person.password, newPassword: person.password });
    expect(same.statusCode).toBe(400);
    expect(same.json().error.field).toBe('newPassword');
    const tooShort = await bartender.post('/api/v1/password', { currentPassword: person.password, newPassword: 'short' });
    expect(tooShort.statusCode).toBe(400);
    expect(tooShort.json().error.field).toBe('newPassword');

    const passwordKey = { 'idempotency-key': `password-${person.email}` };
    const change = { currentPassword: person.password, newPassword: 'my own new password' };
    const changed = await bartender.post('/api/v1/password', change, { headers: passwordKey });
    expect(changed.statusCode).toBe(200);
    expect(changed.json().staff).toMatchObject({ email: person.email, mustChangePassword: false });
    const repeated = await bartender.post('/api/v1/password', change, { headers: passwordKey });
    expect(repeated.statusCode).toBe(200);

    expect((await bartender.get('/api/v1/products')).statusCode).toBe(200);
    const forbidden = await bartender.post('/api/v1/products', lager());
    expect(forbidden.statusCode).toBe(403);
    expect(forbidden.json().error.code).toBe('BB_FORBIDDEN');
    expect((await bartender.get('/api/v1/audit')).statusCode).toBe(403);

    const audit = await manager.get(`/api/v1/audit?action=access.denied&staffId=${created.json().id}`);
    expect(audit.statusCode).toBe(200);
    expect(audit.json().items.length).toBeGreaterThanOrEqual(2);
    expect(audit.json().items.every((e: { action: string; staffId: string }) => e.action === 'access.denied' && e.staffId === created.json().id)).toBe(true);
    expect((await manager.get('/api/v1/audit?from=last-week')).json().error.field).toBe('from');
    expect((await manager.get('/api/v1/audit?staffId=bob')).json().error.field).toBe('staffId');

    const disabled = await manager.post('/api/v1/staff/disable', { staffId: created.json().id });
    expect(disabled.statusCode).toBe(200);
    expect(disabled.json()).toMatchObject({ id: created.json().id, active: false });
    const refused = await bartender.get('/api/v1/products');
    expect(refused.statusCode).toBe(401);
    expect(refused.json().error.code).toBe('BB_SESSION_INVALID');
    const badDisable = await manager.post('/api/v1/staff/disable', { staffId: 'bob' });
    expect(badDisable.statusCode).toBe(400);
    expect(badDisable.json().error.field).toBe('staffId');
  });
});

describe('sessions and CSRF', () => {
  it('refuses every state change without the CSRF token, and every call without a session', async () => {
    const client = await registeredManager('csrf');
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
      const res = await client.request({ method: method as 'POST', url, payload, csrf: false });
      expect({ url, status: res.statusCode, code: res.json().error.code }).toEqual({ url, status: 403, code: 'BB_CSRF' });
      const forged = await client.request({ method: method as 'POST', url, payload, csrf: false, headers: { 'x-csrf-token': 'forged' } });
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

describe('security headers', () => {
  it('go on pages, API answers passed through from a worker, and refusals alike', async () => {
    const client = await registeredManager('headers');
    for (const res of [await client.get('/login'), await client.get('/api/v1/products'), await frontEnd.client().get('/api/v1/products')]) {
      expect(res.headers['content-security-policy']).toContain("default-src 'self'");
      expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
      expect(res.headers['strict-transport-security']).toContain('max-age=');
    }
  });
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
});
