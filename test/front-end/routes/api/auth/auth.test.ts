/**
 * The auth routes (front-end/src/routes/api/auth/): register, me, logout and
 * login across replicas, failed logins held per (email, address) and never
 * per account, login CSRF (JSON only, Origin and Sec-Fetch-Site),
 * field-naming 400s, and the CSRF token on logout.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Worker } from '@barback/back-end';
import { startFrontEnd, type TestFrontEnd } from '../../../../helpers/app.js';
import { csrfFrom } from '../../../../helpers/forms.js';
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

  const attempt = (fe: TestFrontEnd, email: string, password: string, from: string) =>
    fe.client().request({ method: 'POST', url: '/api/v1/login', payload: { email, password }, remoteAddress: from });

  it('holds the guesser, never the owner: ten wrong passwords from one address, then the right one from another signs in', async () => {
    const account = newAccount('guessed');
    await frontEnd.client().post('/api/v1/register', account, { csrf: false });
    const guesser = '198.51.100.10';
    const answers: { status: number; code: string; retryAfter: number | null }[] = [];
    for (let i = 0; i < 10; i += 1) {
      // Both replicas: the count is in the database.
      const res = await attempt(i % 2 === 0 ? frontEnd : secondFrontEnd, account.email, `wrong guess ${i}`, guesser);
      const retryAfter = res.headers['retry-after'];
      answers.push({ status: res.statusCode, code: res.json().error.code, retryAfter: retryAfter === undefined ? null : Number(retryAfter) });
    }
    // Three free tries, then held: each attempt while held is not checked, counts, and doubles the wait.
    expect(answers.slice(0, 3).map((a) => a.code)).toEqual(['BB_BAD_CREDENTIALS', 'BB_BAD_CREDENTIALS', 'BB_BAD_CREDENTIALS']);
    const held = answers.slice(3);
    expect(held.every((a) => a.status === 429 && a.code === 'BB_LOGIN_THROTTLED')).toBe(true);
    const waits = held.map((a) => a.retryAfter!);
    expect(waits).toEqual([...waits].sort((x, y) => x - y));
    expect(waits[0]).toBeLessThanOrEqual(3);
    expect(waits.at(-1)).toBeGreaterThanOrEqual(100);

    // The owner, elsewhere, is not held at all.
    const owner = await attempt(secondFrontEnd, account.email, account.password, '203.0.113.20');
    expect(owner.statusCode).toBe(200);
    expect(owner.json().staff.email).toBe(account.email);
    // The guesser is, even with the right password: it is not even checked.
    const guesserRight = await attempt(frontEnd, account.email, account.password, guesser);
    expect(guesserRight.statusCode).toBe(429);
    expect(Number(guesserRight.headers['retry-after'])).toBeGreaterThanOrEqual(waits.at(-1)!);
    // Another account from the guesser's address is its own pair (the address-wide count allows far more).
    const other = newAccount('neighbour');
    await frontEnd.client().post('/api/v1/register', other, { csrf: false });
    expect((await attempt(frontEnd, other.email, other.password, guesser)).statusCode).toBe(200);
  });

  it('holds an unknown email exactly like a real one, so a hold reveals nothing', async () => {
    const ghost = `ghost-${newAccount('ghost').email}`;
    const statuses = [];
    for (let i = 0; i < 5; i += 1) statuses.push((await attempt(frontEnd, ghost, `wrong ${i}`, '198.51.100.11')).statusCode);
    expect(statuses).toEqual([401, 401, 401, 429, 429]);
  });

  it('counts the login page and the API together', async () => {
    const account = newAccount('both-doors');
    await frontEnd.client().post('/api/v1/register', account, { csrf: false });
    const from = '198.51.100.12';
    for (let i = 0; i < 3; i += 1) expect((await attempt(frontEnd, account.email, `wrong ${i}`, from)).statusCode).toBe(401);
    // The fourth try, through the page form from the same address, is held.
    const browser = frontEnd.client();
    const page = await browser.request({ method: 'GET', url: '/login', remoteAddress: from });
    const form = new URLSearchParams({ _csrf: csrfFrom(page.body), email: account.email, password: account.password }).toString();
    const held = await browser.request({
      method: 'POST',
      url: '/login',
      payload: form,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      remoteAddress: from,
    });
    expect(held.statusCode).toBe(429);
    expect(held.headers['retry-after']).toEqual(expect.stringMatching(/^\d+$/));
    expect(held.body).toContain('Too many failed logins from here');
    expect((await browser.get('/api/v1/me')).statusCode).toBe(401);
  });
});

describe('login CSRF', () => {
  it('refuses a urlencoded body on the JSON API with 415, before it is read', async () => {
    const account = newAccount('form-post');
    await frontEnd.client().post('/api/v1/register', account, { csrf: false });
    const client = frontEnd.client();
    for (const type of ['application/x-www-form-urlencoded', 'text/plain', 'multipart/form-data; boundary=x']) {
      const res = await client.request({
        method: 'POST',
        url: '/api/v1/login',
        payload: new URLSearchParams({ email: account.email, password: account.password }).toString(),
        headers: { 'content-type': type, origin: 'https://evil.example' },
      });
      expect({ type, status: res.statusCode, body: res.json() }).toEqual({
        type,
        status: 415,
        body: { error: { code: 'BB_UNSUPPORTED_MEDIA_TYPE', message: expect.stringContaining('application/json') } },
      });
    }
    const register = await client.request({
      method: 'POST',
      url: '/api/v1/register',
      payload: new URLSearchParams(newAccount('form-register')).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(register.statusCode).toBe(415);
    expect(client.hasSession()).toBe(false);
  });

  it('refuses a login or register another site asks for, on the API and the pages; same-origin and header-less ones pass', async () => {
    const account = newAccount('cross-site');
    await frontEnd.client().post('/api/v1/register', account, { csrf: false });
    const creds = { email: account.email, password: account.password };
    const crossSite: Record<string, string>[] = [
      { origin: 'https://evil.example' },
      { 'sec-fetch-site': 'cross-site' },
      { 'sec-fetch-site': 'same-site' },
      { origin: 'null' },
      // Sec-Fetch-Site decides when a browser sends it, whatever Origin says.
      { origin: 'http://localhost:80', host: 'localhost', 'sec-fetch-site': 'cross-site' },
    ];
    for (const headers of crossSite) {
      const client = frontEnd.client();
      const login = await client.post('/api/v1/login', creds, { csrf: false, headers });
      expect({ headers, status: login.statusCode, code: login.json().error?.code }).toEqual({ headers, status: 403, code: 'BB_CROSS_ORIGIN' });
      const register = await client.post('/api/v1/register', newAccount('cross-site-register'), { csrf: false, headers });
      expect(register.statusCode).toBe(403);
      expect(client.hasSession()).toBe(false);
    }
    // The page forms carry a CSRF token, and are checked for their origin as well.
    for (const path of ['/login', '/register']) {
      const browser = frontEnd.client();
      const page = await browser.get(path);
      const fields = path === '/login' ? creds : newAccount('cross-site-page');
      const res = await browser.request({
        method: 'POST',
        url: path,
        payload: new URLSearchParams({ _csrf: csrfFrom(page.body), ...fields }).toString(),
        headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' },
      });
      expect({ path, status: res.statusCode }).toEqual({ path, status: 403 });
      // The page's cookie holds its CSRF secret, and no one.
      expect((await browser.get('/api/v1/me')).statusCode).toBe(401);
    }
    // This site's own page, and a client that says nothing of where it is: signed in.
    const sameSite = await frontEnd.client().post('/api/v1/login', creds, {
      csrf: false,
      headers: { origin: 'http://localhost:80', host: 'localhost', 'sec-fetch-site': 'same-origin' },
    });
    expect(sameSite.statusCode).toBe(200);
    // A browser's own form post under a no-referrer policy: "Origin: null", and Sec-Fetch-Site says same-origin.
    const nullOrigin = await frontEnd.client().post('/api/v1/login', creds, { csrf: false, headers: { origin: 'null', 'sec-fetch-site': 'same-origin' } });
    expect(nullOrigin.statusCode).toBe(200);
    expect((await frontEnd.client().post('/api/v1/login', creds, { csrf: false })).statusCode).toBe(200);
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
