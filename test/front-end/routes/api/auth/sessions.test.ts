/**
 * Sessions that end (db/migrations/0012_sessions.sql): a copy of a cookie
 * taken while it was good, replayed after logout, a password change, "sign
 * out everywhere" or a disable, answers 401 on every route, reads and writes.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { LightMyRequestResponse } from 'fastify';
import { startFrontEnd, type HttpClient, type TestFrontEnd } from '../../../../helpers/app.js';
import { csrfFrom, formsIn, postForm } from '../../../../helpers/forms.js';
import { newAccount, registerOverHttp, staffOverHttp, type HttpVenue } from '../../../../helpers/venue.js';
import { startWorker } from '../../../../helpers/worker.js';
import type { Worker } from '@barback/back-end';

let worker: Worker;
let frontEnd: TestFrontEnd;
let venue: HttpVenue;

beforeAll(async () => {
  worker = await startWorker();
  frontEnd = await startFrontEnd();
  venue = await registerOverHttp(frontEnd, 'sessions');
});
afterAll(async () => {
  await frontEnd?.close();
  await worker?.stop();
});

/** What an attacker who copied a browser's cookie and CSRF token holds. */
interface StolenCookie {
  cookie: string;
  csrfToken: string;
}

function sessionCookie(res: LightMyRequestResponse): string {
  const lines = res.headers['set-cookie'];
  const line = (Array.isArray(lines) ? lines : [lines ?? '']).find((l) => l.startsWith('barback_session='));
  if (!line) throw new Error('no session cookie in the answer');
  return line.split(';')[0]!;
}

/** Logs in over the API on a client of its own, keeping a copy of the cookie as it was issued. */
async function loginWithCopy(email: string, password: string): Promise<{ client: HttpClient; stolen: StolenCookie }> {
  const client = frontEnd.client();
  const res = await client.post('/api/v1/login', { email, password }, { csrf: false });
  expect(res.statusCode).toBe(200);
  return { client, stolen: { cookie: sessionCookie(res), csrfToken: res.json<{ csrfToken: string }>().csrfToken } };
}

/** The copy used on a read and on a write (opening a tab, with its CSRF token). */
async function replay(stolen: StolenCookie): Promise<{ me: number; openTab: number; codes: string[] }> {
  const headers = { cookie: stolen.cookie };
  const me = await frontEnd.app.inject({ method: 'GET', url: '/api/v1/me', headers });
  const openTab = await frontEnd.app.inject({
    method: 'POST',
    url: '/api/v1/tabs',
    payload: { name: 'On someone else' },
    headers: { ...headers, 'x-csrf-token': stolen.csrfToken },
  });
  return { me: me.statusCode, openTab: openTab.statusCode, codes: [me.json().error?.code, openTab.json().error?.code] };
}

const REFUSED = { me: 401, openTab: 401, codes: ['BB_SESSION_INVALID', 'BB_SESSION_INVALID'] };

describe('a copied cookie', () => {
  it('works while its session does, and answers 401 everywhere once the session logs out', async () => {
    const { client, stolen } = await loginWithCopy(venue.account.email, venue.account.password);
    expect(await replay(stolen)).toMatchObject({ me: 200, openTab: 201 });
    expect((await client.post('/api/v1/logout')).statusCode).toBe(204);
    expect(await replay(stolen)).toEqual(REFUSED);
    // The manager's other session (the one that registered) is untouched.
    expect((await venue.manager.get('/api/v1/me')).statusCode).toBe(200);
  });

  it('answers 401 once its owner changes the password; the session that changed it goes on', async () => {
    const bartender = await staffOverHttp(frontEnd, venue, 'bartender');
    const elsewhere = await loginWithCopy(bartender.email, bartender.password);
    expect(await replay(elsewhere.stolen)).toMatchObject({ me: 200, openTab: 201 });
    const changed = await bartender.client.post('/api/v1/password', { currentPassword: bartender.password, newPassword: 'a fresh start for the bar' });
    expect(changed.statusCode).toBe(200);
    expect(await replay(elsewhere.stolen)).toEqual(REFUSED);
    expect((await elsewhere.client.get('/api/v1/me')).statusCode).toBe(401);
    expect((await bartender.client.get('/api/v1/me')).statusCode).toBe(200);
    // Audited with how many sessions ended: the copied one.
    const audit = (await venue.manager.get(`/api/v1/audit?action=auth.passwordChange&staffId=${bartender.id}`)).json<{ items: { details: Record<string, unknown> }[] }>();
    expect(audit.items[0]!.details).toMatchObject({ initial: false, sessionsEnded: 1 });
  });

  it('answers 401 once a manager disables the account', async () => {
    const bartender = await staffOverHttp(frontEnd, venue, 'bartender');
    const { stolen } = await loginWithCopy(bartender.email, bartender.password);
    expect((await venue.manager.post('/api/v1/staff/disable', { staffId: bartender.id })).statusCode).toBe(200);
    expect(await replay(stolen)).toEqual(REFUSED);
    expect((await bartender.client.get('/api/v1/me')).statusCode).toBe(401);
    const db = await worker.db.primary();
    const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM sessions WHERE staff_id = $1', [bartender.id]);
    expect(rows[0]!.n).toBe(0);
  });

  it('answers 401 after "sign out everywhere" from another session, API and page; the one that asked stays in', async () => {
    const manager = await staffOverHttp(frontEnd, venue, 'manager');
    const laptop = await loginWithCopy(manager.email, manager.password);
    const tablet = await loginWithCopy(manager.email, manager.password);
    const everywhere = await manager.client.post('/api/v1/sign-out-everywhere');
    expect(everywhere.statusCode).toBe(200);
    expect(everywhere.json()).toEqual({ sessionsEnded: 2 });
    expect(await replay(laptop.stolen)).toEqual(REFUSED);
    expect(await replay(tablet.stolen)).toEqual(REFUSED);
    expect((await manager.client.get('/api/v1/me')).statusCode).toBe(200);

    // The button on the password page does the same.
    const phone = await loginWithCopy(manager.email, manager.password);
    const page = await manager.client.get('/password');
    expect(page.statusCode).toBe(200);
    const [form] = formsIn(page.body, '/password/sign-out-everywhere');
    expect(form).toBeDefined();
    const posted = await postForm(manager.client, form!.action, form!.fields);
    expect(posted.statusCode).toBe(303);
    expect(posted.headers.location).toBe('/password?signedOut=1');
    expect((await manager.client.get(posted.headers.location!)).body).toContain('Done: 1 other session ended.');
    expect(await replay(phone.stolen)).toEqual(REFUSED);
    expect((await manager.client.get('/')).statusCode).toBe(200);
    const audit = (await venue.manager.get(`/api/v1/audit?action=auth.signOutEverywhere&staffId=${manager.id}`)).json<{ items: unknown[] }>();
    expect(audit.items).toHaveLength(2);
  });

  it('answers 401 after the page logout too, and a page then goes to the login', async () => {
    const { client, stolen } = await loginWithCopy(venue.account.email, venue.account.password);
    const home = await client.get('/');
    expect(home.statusCode).toBe(200);
    const out = await postForm(client, '/logout', { _csrf: csrfFrom(home.body) });
    expect(out.statusCode).toBe(303);
    expect(await replay(stolen)).toEqual(REFUSED);
    const page = await frontEnd.app.inject({ method: 'GET', url: '/', headers: { cookie: stolen.cookie } });
    expect(page.statusCode).toBe(303);
    expect(page.headers.location).toBe('/login');
  });

  it('from before sessions had ids is signed out, not trusted', async () => {
    // A cookie as the front end wrote it before migration 0012: a valid user, no session id.
    const session = venue.session;
    const old = frontEnd.app.createSecureSession({
      user: { staffId: session.staff.id, venueId: session.venue.id, name: session.staff.name, role: 'manager', venueName: session.venue.name },
    });
    const cookie = `barback_session=${encodeURIComponent(frontEnd.app.encodeSecureSession(old))}`;
    const me = await frontEnd.app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie } });
    expect(me.statusCode).toBe(401);
    expect(me.json().error.code).toBe('BB_NOT_AUTHENTICATED');
  });

  it('is not told the session id: only the encrypted cookie carries it', async () => {
    const account = newAccount('no-id');
    const res = await frontEnd.client().post('/api/v1/register', account, { csrf: false });
    expect(Object.keys(res.json()).sort()).toEqual(['csrfToken', 'staff', 'venue']);
  });
});
