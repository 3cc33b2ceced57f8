/**
 * The auth routes (front-end/src/routes/api/auth/): register, me, logout and
 * login across replicas, failed logins and the lock-out, field-naming 400s,
 * and the CSRF token on logout.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Worker } from '@barback/back-end';
import { startFrontEnd, type TestFrontEnd } from '../../../../helpers/app.js';
import { newAccount } from '../../../../helpers/venue.js';
import { startWorker } from '../../../../helpers/worker.js';


let worker: Worker;
let frontEnd: TestFrontEnd;
let secondFrontEnd: TestFrontEnd;

beforeAll(async () => {
  worker = await startWorker();
  frontEnd = await startFrontEnd();
  secondFrontEnd = await startFrontEnd();
});

afterAll(async () => {
  await frontEnd?.close();
  await secondFrontEnd?.close();
  await worker?.stop();
});

describe('register → me → logout → login', () => {
  it('walks the whole account life cycle through the broker and database', async () => {
    const account = newAccount();
    const client = frontEnd.client();

    const registered = await client.post('/api/v1/register', account, { csrf: false });
    expect(registered.statusCode).toBe(201);
    const body = registered.json();
    expect(body.csrfToken).toEqual(expect.any(String));
    expect(body.venue.name).toBe(account.venueName);
    expect(body.staff).toMatchObject({ name: account.name, email: account.email, role: 'manager' });
    expect(JSON.stringify(body)).not.toContain('argon2');
    expect(registered.headers['set-cookie']?.toString()).toMatch(/HttpOnly/i);
    expect(registered.headers['set-cookie']?.toString()).toMatch(/SameSite=Lax/i);

    const me = await client.get('/api/v1/me');
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({ staff: { id: body.staff.id }, venue: { id: body.venue.id, timeZone: 'Europe/Dublin' } });

    const out = await client.post('/api/v1/logout');
    expect(out.statusCode).toBe(204);
    expect(client.hasSession()).toBe(false);
    const afterLogout = await client.get('/api/v1/me');
    expect(afterLogout.statusCode).toBe(401);
    expect(afterLogout.json().error.code).toBe('BB_NOT_AUTHENTICATED');

    // Any replica serves any request: log in on the other one.
    const other = secondFrontEnd.client();
    const login = await other.post('/api/v1/login', { email: account.email.toUpperCase(), password: account.password }, { csrf: false });
    expect(login.statusCode).toBe(200);
    expect(login.json().staff.id).toBe(body.staff.id);
    expect((await other.get('/api/v1/me')).json().staff.email).toBe(account.email);
  });

  it('refuses a second account with the same email, naming the field', async () => {
    const account = newAccount();
    expect((await frontEnd.client().post('/api/v1/register', account, { csrf: false })).statusCode).toBe(201);
    const again = await frontEnd.client().post('/api/v1/register', { ...account, venueName: 'Another bar' }, { csrf: false });
    expect(again.statusCode).toBe(409);
    expect(again.json().error).toMatchObject({ code: 'BB_EMAIL_TAKEN', field: 'email' });
  });

  it('applies a repeated register with the same Idempotency-Key once', async () => {
    const account = newAccount('idem');
    const headers = { 'idempotency-key': `key-${account.email}` };
    const first = await frontEnd.client().post('/api/v1/register', account, { csrf: false, headers });
    const second = await secondFrontEnd.client().post('/api/v1/register', account, { csrf: false, headers });
    expect(first.statusCode).toBe(201);
    expect(second.statusCode).toBe(201);
    expect(second.json().venue.id).toBe(first.json().venue.id);
    const primary = await worker.db.primary();
    const { rows } = await primary.query('SELECT count(*)::int AS n FROM venues WHERE name = $1', [account.venueName]);
    expect(rows[0].n).toBe(1);
  });
});

describe('failed logins', () => {
  it('answers an unknown email exactly as a wrong password', async () => {
    const account = newAccount();
    await frontEnd.client().post('/api/v1/register', account, { csrf: false });
    const wrongPassword = await frontEnd.client().post('/api/v1/login', { email: account.email, password: 'not the password' }, { csrf: false });
    const unknownEmail = await frontEnd.client().post('/api/v1/login', { email: `nobody-${account.email}`, password: 'not the password' }, { csrf: false });
    expect(wrongPassword.statusCode).toBe(401);
    expect(unknownEmail.statusCode).toBe(401);
    expect(unknownEmail.json()).toEqual(wrongPassword.json());
    expect(wrongPassword.json().error.code).toBe('BB_BAD_CREDENTIALS');
  });

  it('locks an account after repeated failures on any replica, and unknown emails alike', async () => {
    const account = newAccount('lock');
    await frontEnd.client().post('/api/v1/register', account, { csrf: false });
    for (const email of [account.email, `ghost-${account.email}`]) {
      for (let i = 0; i < 5; i += 1) {
        const replica = i % 2 === 0 ? frontEnd : secondFrontEnd;
        await replica.client().post('/api/v1/login', { email, password: `wrong ${i}` }, { csrf: false });
      }
      const locked = await frontEnd.client().post('/api/v1/login', { email, password: account.password }, { csrf: false });
      expect(locked.statusCode).toBe(429);
      expect(locked.json().error.code).toBe('BB_LOGIN_LOCKED');
    }
    // Another account is untouched by the lock.
    const other = newAccount('free');
    await frontEnd.client().post('/api/v1/register', other, { csrf: false });
    expect((await secondFrontEnd.client().post('/api/v1/login', { email: other.email, password: other.password }, { csrf: false })).statusCode).toBe(200);
  });
});

describe('bad input', () => {
  it('gives 400 naming the offending field', async () => {
    const res = await frontEnd.client().post('/api/v1/register', { ...newAccount(), email: 'not-an-email' }, { csrf: false });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({ code: 'BB_VALIDATION', field: 'email' });

    const short = await frontEnd.client().post('/api/v1/register', { ...newAccount(), password: 'short' }, { csrf: false });
    expect(short.json().error).toMatchObject({ code: 'BB_VALIDATION', field: 'password' });

    const missing = await frontEnd.client().post('/api/v1/login', { email: 'a@b.ie' }, { csrf: false });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error.field).toBe('password');
  });

  it('refuses malformed JSON with a 400, not a 500', async () => {
    const res = await frontEnd.client().request({
      method: 'POST',
      url: '/api/v1/login',
      headers: { 'content-type': 'application/json' },
      payload: '{"email": ',
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toEqual(expect.any(String));
  });
});

describe('CSRF', () => {
  it('refuses a state change made with the cookie but without the token', async () => {
    const client = frontEnd.client();
    await client.post('/api/v1/register', newAccount(), { csrf: false });
    const noToken = await client.post('/api/v1/logout', undefined, { csrf: false });
    expect(noToken.statusCode).toBe(403);
    expect(noToken.json().error.code).toBe('BB_CSRF');
    const wrongToken = await client.post('/api/v1/logout', undefined, { csrf: false, headers: { 'x-csrf-token': 'forged' } });
    expect(wrongToken.statusCode).toBe(403);
    expect((await client.get('/api/v1/me')).statusCode).toBe(200);
    expect((await client.post('/api/v1/logout')).statusCode).toBe(204);
  });
});
