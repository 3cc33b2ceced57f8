/**
 * Staff, passwords and roles through the HTTP API
 * (front-end/src/routes/api/staff/): a new account must change its password
 * first, a disabled account's next request is refused whatever cookie it
 * holds, and manager routes refuse bartenders.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Worker } from '@barback/back-end';
import { startFrontEnd, type TestFrontEnd } from '../../../../helpers/app.js';
import { lager, registeredManager } from '../../../../helpers/api.js';
import { startWorker } from '../../../../helpers/worker.js';
import { newAccount, newStaff, productInput, registerOverHttp, staffOverHttp, type HttpVenue, type Product } from '../../../../helpers/venue.js';

let worker: Worker;
let frontEnd: TestFrontEnd;
let venue: HttpVenue;
let product: Product;

beforeAll(async () => {
  worker = await startWorker();
  frontEnd = await startFrontEnd();
  venue = await registerOverHttp(frontEnd, 'http-staff');
  const res = await venue.manager.post('/api/v1/products', productInput());
  expect(res.statusCode).toBe(201);
  product = res.json<Product>();
});
afterAll(async () => {
  await frontEnd?.close();
  await worker?.stop();
});

describe('a new staff account', () => {
  it('must change its initial password before anything else', async () => {
    const fresh = await staffOverHttp(frontEnd, venue, 'bartender', { changePassword: false });
    const created = (await venue.manager.get('/api/v1/staff')).json<{ items: { id: string; mustChangePassword: boolean }[] }>().items.find(
      (s) => s.id === fresh.id,
    );
    expect(created?.mustChangePassword).toBe(true);

    for (const res of [
      await fresh.client.get('/api/v1/products'),
      await fresh.client.get(`/api/v1/products/${product.id}`),
      await fresh.client.get('/api/v1/tabs'),
      await fresh.client.post('/api/v1/tabs', { name: 'Too soon' }),
      await fresh.client.get('/api/v1/sales'),
    ]) {
      expect({ status: res.statusCode, code: res.json().error?.code }).toEqual({ status: 403, code: 'BB_PASSWORD_CHANGE_REQUIRED' });
    }
    const me = await fresh.client.get('/api/v1/me');
    expect(me.statusCode).toBe(200);
    expect(me.json().staff).toMatchObject({ id: fresh.id, mustChangePassword: true });

    // The current password is checked; the new one must differ.
    const wrong = await fresh.client.post('/api/v1/password', { currentPassword: 'not my password', newPassword: 'a whole new password' });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().error.field).toBe('currentPassword');
    const same = await fresh.client.post('/api/v1/password', { currentPassword: fresh.password, newPassword: fresh.password });
    expect(same.statusCode).toBe(400);
    expect(same.json().error.field).toBe('newPassword');
    expect((await fresh.client.get('/api/v1/products')).statusCode).toBe(403);

    // Changing it without the CSRF token is refused too.
    const forged = await fresh.client.post('/api/v1/password', { currentPassword: fresh.password, newPassword: 'a whole new password' }, { csrf: false });
    expect(forged.statusCode).toBe(403);
    expect(forged.json().error.code).toBe('BB_CSRF');

    const changed = await fresh.client.post('/api/v1/password', { currentPassword: fresh.password, newPassword: 'a whole new password' });
    expect(changed.statusCode).toBe(200);
    expect(changed.json().staff).toMatchObject({ id: fresh.id, mustChangePassword: false });
    expect(JSON.stringify(changed.json())).not.toContain('argon2');

    const products = await fresh.client.get('/api/v1/products');
    expect(products.statusCode).toBe(200);
    expect(products.json().items.map((p: { id: string }) => p.id)).toContain(product.id);

    // The new password logs in, the initial one no longer does.
    const oldLogin = await frontEnd.client().post('/api/v1/login', { email: fresh.email, password: fresh.password }, { csrf: false });
    expect(oldLogin.statusCode).toBe(401);
    const newLogin = await frontEnd.client().post('/api/v1/login', { email: fresh.email, password: 'a whole new password' }, { csrf: false });
    expect(newLogin.statusCode).toBe(200);
    expect(newLogin.json().staff.mustChangePassword).toBe(false);
  });

  it('cannot take an email already in use', async () => {
    const who = newStaff('http-dup');
    const first = await venue.manager.post('/api/v1/staff', { ...who, password: 'initial password 1' });
    expect(first.statusCode).toBe(201);
    const again = await venue.manager.post('/api/v1/staff', { ...newStaff('http-dup2'), email: who.email.toUpperCase(), password: 'initial password 2' });
    expect(again.statusCode).toBe(409);
    expect(again.json().error).toMatchObject({ code: 'BB_EMAIL_TAKEN', field: 'email' });
  });
});

describe('a disabled account', () => {
  it('is refused on its next request (401), whatever its cookie, and cannot log in again', async () => {
    const leaver = await staffOverHttp(frontEnd, venue, 'bartender');
    expect((await leaver.client.get('/api/v1/products')).statusCode).toBe(200);
    const opened = await leaver.client.post('/api/v1/tabs', { name: 'Leaver' });
    expect(opened.statusCode).toBe(201);

    // Without the token the manager cannot disable anyone.
    const forged = await venue.manager.post('/api/v1/staff/disable', { staffId: leaver.id }, { csrf: false });
    expect(forged.statusCode).toBe(403);
    expect((await leaver.client.get('/api/v1/products')).statusCode).toBe(200);

    const disabled = await venue.manager.post('/api/v1/staff/disable', { staffId: leaver.id });
    expect(disabled.statusCode).toBe(200);
    expect(disabled.json()).toMatchObject({ id: leaver.id, active: false });

    for (const res of [
      await leaver.client.get('/api/v1/products'),
      await leaver.client.get('/api/v1/me'),
      await leaver.client.get(`/api/v1/tabs/${opened.json().id}`),
      await leaver.client.post('/api/v1/tabs', { name: 'After leaving' }),
      await leaver.client.post('/api/v1/sales', { lines: [{ servingId: product.servings[0]!.id, quantity: 1 }], payments: [{ method: 'cash', amountCents: 560 }] }),
    ]) {
      expect({ status: res.statusCode, code: res.json().error?.code }).toEqual({ status: 401, code: 'BB_SESSION_INVALID' });
    }
    const login = await frontEnd.client().post('/api/v1/login', { email: leaver.email, password: leaver.password }, { csrf: false });
    expect(login.statusCode).toBe(401);
    expect(login.json().error.code).toBe('BB_BAD_CREDENTIALS');
  });

  it('a manager cannot disable their own account', async () => {
    const self = await venue.manager.post('/api/v1/staff/disable', { staffId: venue.session.staff.id });
    expect(self.statusCode).toBe(409);
    expect((await venue.manager.get('/api/v1/me')).statusCode).toBe(200);
  });

  it("another venue's staff id is 404 like an unknown one", async () => {
    const other = await registerOverHttp(frontEnd, 'http-staff-other');
    const foreign = await other.manager.post('/api/v1/staff/disable', { staffId: venue.session.staff.id });
    const unknown = await other.manager.post('/api/v1/staff/disable', { staffId: randomUUID() });
    expect(foreign.statusCode).toBe(404);
    expect(foreign.json()).toEqual(unknown.json());
    expect((await venue.manager.get('/api/v1/me')).statusCode).toBe(200);
  });
});

describe('manager routes', () => {
  it('refuse a bartender with 403 and change nothing', async () => {
    const bartender = (await staffOverHttp(frontEnd, venue, 'bartender')).client;
    const sale = await bartender.post('/api/v1/sales', {
      lines: [{ servingId: product.servings[0]!.id, quantity: 1 }],
      payments: [{ method: 'cash', amountCents: product.servings[0]!.priceCents }],
    });
    expect(sale.statusCode).toBe(201);
    const calls = [
      () => bartender.post('/api/v1/products', productInput()),
      () => bartender.request({ method: 'PATCH', url: `/api/v1/products/${product.id}`, payload: { name: 'Bartender special' }, csrf: true }),
      () => bartender.post('/api/v1/refunds', { saleId: sale.json().id, reason: 'free drink' }),
      () => bartender.post('/api/v1/staff', { ...newStaff('http-sneaky', 'manager'), password: 'initial password' }),
      () => bartender.post('/api/v1/staff/disable', { staffId: venue.session.staff.id }),
      () => bartender.get('/api/v1/staff'),
      () => bartender.get('/api/v1/audit'),
    ];
    for (const call of calls) {
      const res = await call();
      expect({ status: res.statusCode, code: res.json().error?.code }).toEqual({ status: 403, code: 'BB_FORBIDDEN' });
    }
    expect((await venue.manager.get(`/api/v1/products/${product.id}`)).json().name).toBe(product.name);
    expect((await venue.manager.get('/api/v1/me')).statusCode).toBe(200);
    const db = await worker.db.primary();
    const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM refunds WHERE sale_id = $1', [sale.json().id]);
    expect(rows[0]!.n).toBe(0);
  });
});

describe('staff, password and audit routes', () => {
  it('creates a bartender who must change the initial password first, then is held to the role', async () => {
    const manager = await registeredManager(frontEnd, 'staff');
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
