/**
 * PIN sign-in on an enrolled till through the HTTP API
 * (front-end/src/routes/api/auth/, api/staff/): enrolling sets a long-lived,
 * httpOnly, SameSite=Strict device cookie whose secret only the browser
 * holds; a PIN is verified with argon2 in the front end; 5 wrong PINs lock
 * that person; at most 20 attempts a minute per till; a revoked till stops
 * at once; a PIN session does till work but no staff administration; a till
 * session locks itself when idle.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Worker } from '@barback/back-end';
import { startFrontEnd, type HttpClient, type TestFrontEnd } from '../../../../helpers/app.js';
import { UNKNOWN_ID } from '../../../../helpers/api.js';
import { startWorker } from '../../../../helpers/worker.js';
import { registerOverHttp, staffOverHttp, type HttpVenue } from '../../../../helpers/venue.js';

let worker: Worker;
let frontEnd: TestFrontEnd;
let venue: HttpVenue;

beforeAll(async () => {
  worker = await startWorker();
  frontEnd = await startFrontEnd();
  venue = await registerOverHttp(frontEnd, 'http-pin');
});
afterAll(async () => {
  await frontEnd?.close();
  await worker?.stop();
});

/** A second browser of the venue's manager, logged in with email and password. */
async function managerBrowser(fe: TestFrontEnd, v: HttpVenue): Promise<HttpClient> {
  const client = fe.client();
  const login = await client.post('/api/v1/login', { email: v.account.email, password: v.account.password }, { csrf: false });
  expect(login.statusCode).toBe(200);
  return client;
}

/** Enrols the client's browser as a till; returns the till and the cookie as set. */
async function enrol(client: HttpClient, name: string) {
  const res = await client.post('/api/v1/tills', { name });
  expect(res.statusCode).toBe(201);
  const setCookie = [res.headers['set-cookie'] ?? []].flat().find((c) => c.startsWith('bb_till='));
  expect(setCookie).toBeDefined();
  return { till: res.json<{ id: string; name: string }>(), setCookie: setCookie! };
}

async function setPin(manager: HttpClient, staffId: string, pin: string) {
  const res = await manager.post('/api/v1/staff/pin', { staffId, pin });
  expect(res.statusCode).toBe(200);
}

describe('enrolling a till', () => {
  it('sets a year-long, httpOnly, SameSite=Strict cookie whose secret is stored only as a hash', async () => {
    const browser = await managerBrowser(frontEnd, venue);
    const { till, setCookie } = await enrol(browser, 'Cookie bar');
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Strict/i);
    expect(setCookie).toMatch(/Max-Age=31536000/i);
    expect(setCookie).toMatch(/Path=\//i);
    const [id, secret] = setCookie.split(';')[0]!.slice('bb_till='.length).split('.');
    expect(id).toBe(till.id);
    const db = await worker.db.primary();
    const stored = await db.query<{ key_hash: string }>('SELECT key_hash FROM tills WHERE id = $1', [till.id]);
    expect(stored.rows[0]!.key_hash).toBe(createHash('sha256').update(secret!).digest('base64url'));
    expect(stored.rows[0]!.key_hash).not.toBe(secret);
    // The secret is in no reply, and no stored reply.
    const replies = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM processed_requests WHERE reply::text LIKE '%' || $1 || '%'", [secret]);
    expect(replies.rows[0]!.n).toBe(0);
  });

  it('refuses a bartender, and a till name that is blank', async () => {
    const bartender = await staffOverHttp(frontEnd, venue, 'bartender');
    const refused = await bartender.client.post('/api/v1/tills', { name: 'Mine' });
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error.code).toBe('BB_FORBIDDEN');
    expect(refused.headers['set-cookie']?.toString() ?? '').not.toContain('bb_till=');
    const blank = await venue.manager.post('/api/v1/tills', { name: '  ' });
    expect(blank.statusCode).toBe(400);
    expect(blank.json().error.field).toBe('name');
  });
});

describe('setting a PIN', () => {
  it('refuses PINs that are not 4 to 6 digits, or easy to guess, naming the field', async () => {
    const bartender = await staffOverHttp(frontEnd, venue, 'bartender');
    for (const pin of ['123', '1234567', '12a4', '0000', '1234', '98765', '3456']) {
      const res = await venue.manager.post('/api/v1/staff/pin', { staffId: bartender.id, pin });
      expect({ pin, status: res.statusCode, field: res.json().error?.field }).toEqual({ pin, status: 400, field: 'pin' });
    }
    const ok = await venue.manager.post('/api/v1/staff/pin', { staffId: bartender.id, pin: '2580' });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ id: bartender.id, hasPin: true });
  });

  it('lets a person set their own PIN with their current password', async () => {
    const bartender = await staffOverHttp(frontEnd, venue, 'bartender');
    const wrong = await bartender.client.post('/api/v1/pin', { currentPassword: 'not my password', pin: '7391' });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().error).toMatchObject({ code: 'BB_VALIDATION', field: 'currentPassword' });
    const easy = await bartender.client.post('/api/v1/pin', { currentPassword: bartender.password, pin: '4444' });
    expect(easy.json().error.field).toBe('pin');
    const ok = await bartender.client.post('/api/v1/pin', { currentPassword: bartender.password, pin: '7391' });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().staffId).toBe(bartender.id);
  });
});

describe('signing in on a till with a PIN', () => {
  it('lists who can sign in, signs a person in with the right PIN and replaces whoever was signed in', async () => {
    const browser = await managerBrowser(frontEnd, venue);
    const { till } = await enrol(browser, 'PIN bar');
    const bartender = await staffOverHttp(frontEnd, venue, 'bartender');
    await setPin(venue.manager, bartender.id, '2580');

    const screen = await browser.get('/api/v1/till-staff');
    expect(screen.statusCode).toBe(200);
    expect(screen.json().till).toEqual({ id: till.id, name: 'PIN bar' });
    expect(screen.json().staff.map((s: { id: string }) => s.id)).toContain(bartender.id);

    const wrong = await browser.post('/api/v1/pin-login', { staffId: bartender.id, pin: '2581' });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json().error).toMatchObject({ code: 'BB_BAD_PIN', field: 'pin' });
    // A wrong PIN leaves the signed-in person as they were.
    expect((await browser.get('/api/v1/me')).json().staff.id).toBe(venue.session.staff.id);

    const ok = await browser.post('/api/v1/pin-login', { staffId: bartender.id, pin: '2580' });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ staff: { id: bartender.id }, till: { id: till.id, name: 'PIN bar' }, csrfToken: expect.any(String) });
    expect((await browser.get('/api/v1/me')).json().staff.id).toBe(bartender.id);
    // Till work goes on as that person.
    const tab = await browser.post('/api/v1/tabs', { name: 'PIN tab' });
    expect(tab.statusCode).toBe(201);
  });

  it('needs an enrolled browser', async () => {
    const plain = frontEnd.client();
    for (const res of [await plain.get('/api/v1/till-staff'), await plain.post('/api/v1/pin-login', { staffId: UNKNOWN_ID, pin: '2580' }, { csrf: false })]) {
      expect(res.statusCode).toBe(401);
      expect(res.json().error.code).toBe('BB_TILL_NOT_ENROLLED');
    }
  });

  it('locks that person after 5 wrong PINs for 15 minutes, saying until when, and no one else', async () => {
    const browser = await managerBrowser(frontEnd, venue);
    await enrol(browser, 'Lockout bar');
    const guessed = await staffOverHttp(frontEnd, venue, 'bartender');
    const colleague = await staffOverHttp(frontEnd, venue, 'bartender');
    await setPin(venue.manager, guessed.id, '2580');
    await setPin(venue.manager, colleague.id, '1470');

    const statuses: number[] = [];
    for (let i = 0; i < 5; i += 1) statuses.push((await browser.post('/api/v1/pin-login', { staffId: guessed.id, pin: '0852' })).statusCode);
    expect(statuses).toEqual([401, 401, 401, 401, 429]);
    const locked = await browser.post('/api/v1/pin-login', { staffId: guessed.id, pin: '2580' });
    expect(locked.statusCode).toBe(429);
    expect(locked.json().error.code).toBe('BB_PIN_LOCKED');
    expect(locked.json().error.message).toMatch(/locked until \d\d:\d\d/);

    const other = await browser.post('/api/v1/pin-login', { staffId: colleague.id, pin: '1470' });
    expect(other.statusCode).toBe(200);
  });

  it('refuses at once on a revoked till, and drops the cookie of the browser that revoked itself', async () => {
    const browser = await managerBrowser(frontEnd, venue);
    const { till } = await enrol(browser, 'Revoked bar');
    const bartender = await staffOverHttp(frontEnd, venue, 'bartender');
    await setPin(venue.manager, bartender.id, '2580');
    expect((await browser.post('/api/v1/pin-login', { staffId: bartender.id, pin: '2580' })).statusCode).toBe(200);

    const revoked = await venue.manager.post('/api/v1/tills/revoke', { tillId: till.id });
    expect(revoked.statusCode).toBe(200);
    const refused = await browser.post('/api/v1/pin-login', { staffId: bartender.id, pin: '2580' });
    expect(refused.statusCode).toBe(401);
    expect(refused.json().error.code).toBe('BB_TILL_NOT_ENROLLED');

    const self = await managerBrowser(frontEnd, venue);
    const own = await enrol(self, 'Self revoked');
    const res = await self.post('/api/v1/tills/revoke', { tillId: own.till.id });
    expect(res.statusCode).toBe(200);
    expect(res.headers['set-cookie']?.toString()).toMatch(/bb_till=;/);
  });

  it('holds a till to 20 PIN attempts a minute, counted per till', async () => {
    const limited = await startFrontEnd();
    try {
      const first = await managerBrowser(limited, venue);
      const second = await managerBrowser(limited, venue);
      await enrol(first, 'Limited bar 1');
      await enrol(second, 'Limited bar 2');
      const statuses: number[] = [];
      for (let i = 0; i < 21; i += 1) statuses.push((await first.post('/api/v1/pin-login', { staffId: UNKNOWN_ID, pin: '2580' })).statusCode);
      expect(statuses.slice(0, 20).every((s) => s === 401)).toBe(true);
      expect(statuses[20]).toBe(429);
      const refused = await first.post('/api/v1/pin-login', { staffId: UNKNOWN_ID, pin: '2580' });
      expect(refused.json().error).toMatchObject({ code: 'BB_RATE_LIMITED', message: expect.stringMatching(/PIN attempts on this till/) });
      // The other till, from the same address, is not held back.
      expect((await second.post('/api/v1/pin-login', { staffId: UNKNOWN_ID, pin: '2580' })).statusCode).toBe(401);
    } finally {
      await limited.close();
    }
  });
});

describe('a session signed in with a PIN', () => {
  it("keeps the person's role, but staff, tills, PINs and passwords need a password login", async () => {
    const browser = await managerBrowser(frontEnd, venue);
    await enrol(browser, 'Manager PIN bar');
    await setPin(venue.manager, venue.session.staff.id, '3691');
    const ok = await browser.post('/api/v1/pin-login', { staffId: venue.session.staff.id, pin: '3691' });
    expect(ok.statusCode).toBe(200);

    // Manager work at the till (the audit log, say) is allowed...
    expect((await browser.get('/api/v1/audit')).statusCode).toBe(200);
    // ...administration is not.
    for (const res of [
      await browser.get('/api/v1/staff'),
      await browser.get('/api/v1/tills'),
      await browser.post('/api/v1/tills', { name: 'Another' }),
      await browser.post('/api/v1/staff/pin', { staffId: venue.session.staff.id, pin: '1593' }),
      await browser.post('/api/v1/password', { currentPassword: venue.account.password, newPassword: 'a brand new password' }),
      await browser.post('/api/v1/pin', { currentPassword: venue.account.password, pin: '1593' }),
    ]) {
      expect(res.statusCode).toBe(403);
      expect(res.json().error.code).toBe('BB_PASSWORD_REQUIRED');
    }
  });

  it('logging out on a till signs the person out and keeps the till enrolled', async () => {
    const browser = await managerBrowser(frontEnd, venue);
    await enrol(browser, 'Logout bar');
    const bartender = await staffOverHttp(frontEnd, venue, 'bartender');
    await setPin(venue.manager, bartender.id, '2580');
    expect((await browser.post('/api/v1/pin-login', { staffId: bartender.id, pin: '2580' })).statusCode).toBe(200);
    expect((await browser.post('/api/v1/logout')).statusCode).toBe(204);
    expect((await browser.get('/api/v1/me')).statusCode).toBe(401);
    expect((await browser.get('/api/v1/till-staff')).statusCode).toBe(200);
    expect((await browser.post('/api/v1/pin-login', { staffId: bartender.id, pin: '2580' })).statusCode).toBe(200);
  });
});

describe('the idle lock', () => {
  it('locks a till session after TILL_IDLE_LOCK_SECONDS without a request; requests keep it awake', async () => {
    const idle = await startFrontEnd({ TILL_IDLE_LOCK_SECONDS: '1' });
    try {
      const plain = await managerBrowser(idle, venue);
      const browser = await managerBrowser(idle, venue);
      await enrol(browser, 'Idle bar');
      const bartender = await staffOverHttp(idle, venue, 'bartender');
      await setPin(venue.manager, bartender.id, '2580');
      expect((await browser.post('/api/v1/pin-login', { staffId: bartender.id, pin: '2580' })).statusCode).toBe(200);

      // Busy: a request every 400 ms for 2 s keeps it signed in.
      for (let i = 0; i < 5; i += 1) {
        await new Promise((r) => setTimeout(r, 400));
        expect((await browser.get('/api/v1/me')).statusCode).toBe(200);
      }
      // Idle for longer than the limit: locked, though the cookie is still there.
      await new Promise((r) => setTimeout(r, 1300));
      const locked = await browser.get('/api/v1/me');
      expect(locked.statusCode).toBe(401);
      expect(locked.json().error.code).toBe('BB_NOT_AUTHENTICATED');
      // The device stays a till.
      expect((await browser.get('/api/v1/till-staff')).statusCode).toBe(200);

      // A browser that is not a till is never idle-locked (this one has been idle for over 3 s).
      expect((await plain.get('/api/v1/me')).statusCode).toBe(200);
    } finally {
      await idle.close();
    }
  });
});
