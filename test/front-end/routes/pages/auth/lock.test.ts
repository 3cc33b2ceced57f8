/**
 * An enrolled till's pages without JavaScript (front-end/src/routes/pages/auth/
 * lock.ts, pin.ts, index.ts and pages/staff/): the staff page enrols the
 * browser and sets PINs; the till then opens on its PIN screen, a plain form;
 * a right PIN opens the till; Switch user and Log out go back to the PIN
 * screen; a PIN session is sent to a password login for staff administration.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Worker } from '@barback/back-end';
import { startFrontEnd, type HttpClient, type TestFrontEnd } from '../../../../helpers/app.js';
import { csrfFrom, formsIn, postForm, submit } from '../../../../helpers/forms.js';
import { registerOverHttp, staffOverHttp, type HttpVenue } from '../../../../helpers/venue.js';
import { startWorker } from '../../../../helpers/worker.js';

let worker: Worker;
let frontEnd: TestFrontEnd;
let venue: HttpVenue;

beforeAll(async () => {
  worker = await startWorker();
  frontEnd = await startFrontEnd();
  venue = await registerOverHttp(frontEnd, 'lock-pages');
});
afterAll(async () => {
  await frontEnd?.close();
  await worker?.stop();
});

/** The manager logged in on a browser of its own, through the login form. */
async function managerBrowser(): Promise<HttpClient> {
  const client = frontEnd.client();
  const login = await submit(client, '/login', '/login', { email: venue.account.email, password: venue.account.password });
  expect(login.statusCode).toBe(303);
  return client;
}

/** The staff page's enrol form, as a manager would post it. */
async function enrolThisBrowser(client: HttpClient, name: string): Promise<string> {
  const page = await client.get('/staff');
  const [form] = formsIn(page.body, '/staff/tills');
  const res = await postForm(client, '/staff/tills', { ...form!.fields, tillName: name });
  expect(res.statusCode).toBe(303);
  expect(res.headers['set-cookie']?.toString()).toMatch(/bb_till=[^;]+;.*HttpOnly.*SameSite=Strict/i);
  return res.headers.location as string;
}

async function setPinOnStaffPage(client: HttpClient, staffId: string, pin: string) {
  const page = await client.get('/staff');
  const form = formsIn(page.body, '/staff/pin')[0]!;
  return postForm(client, '/staff/pin', { ...form.fields, pinStaffId: staffId, pin });
}

describe('the staff page', () => {
  it('enrols this browser, sets PINs (refusing easy ones beside the field) and revokes the till', async () => {
    const browser = await managerBrowser();
    const bartender = await staffOverHttp(frontEnd, venue, 'bartender');
    const enrolled = await browser.get(await enrolThisBrowser(browser, 'Page bar'));
    expect(enrolled.body).toContain('data-testid="enrolled"');
    expect(enrolled.body).toContain('data-testid="this-till"');
    expect(enrolled.body).not.toContain('data-testid="enrol-form"');

    const easy = await setPinOnStaffPage(browser, bartender.id, '1111');
    expect(easy.statusCode).toBe(400);
    expect(easy.body).toMatch(/data-testid="pin-error">That PIN is too easy to guess/);
    const set = await setPinOnStaffPage(browser, bartender.id, '2580');
    expect(set.statusCode).toBe(303);
    expect((await browser.get(set.headers.location as string)).body).toContain('data-testid="pin-set"');

    const page = await browser.get('/staff');
    const revoke = formsIn(page.body, '/staff/tills/').find((f) => f.action.endsWith('/revoke'))!;
    const revoked = await postForm(browser, revoke.action, revoke.fields);
    expect(revoked.statusCode).toBe(303);
    expect(revoked.headers['set-cookie']?.toString()).toMatch(/bb_till=;/);
    const after = await browser.get(revoked.headers.location as string);
    expect(after.body).toContain('data-testid="revoked"');
    expect(after.body).toContain('data-testid="enrol-form"');
  });
});

describe('an enrolled till without JavaScript', () => {
  it('opens on the PIN screen, and a right PIN opens the till', async () => {
    const browser = await managerBrowser();
    await enrolThisBrowser(browser, 'Plain bar');
    const bartender = await staffOverHttp(frontEnd, venue, 'bartender');
    expect((await setPinOnStaffPage(browser, bartender.id, '2580')).statusCode).toBe(303);

    // Log out: back to the PIN screen, not the email login; / and /login go there too.
    const out = await postForm(browser, '/logout', { _csrf: csrfFrom((await browser.get('/staff')).body) });
    expect(out.headers.location).toBe('/lock');
    expect((await browser.get('/')).headers.location).toBe('/lock');
    expect((await browser.get('/login')).headers.location).toBe('/lock');

    const lock = await browser.get('/lock');
    expect(lock.statusCode).toBe(200);
    expect(lock.body).toContain('Plain bar');
    expect(lock.body).toContain(`value="${bartender.id}"`);
    expect(lock.body).toMatch(/<input id="pin" name="pin" type="password" inputmode="numeric"/);
    // The keypad needs the script; without it the field takes the digits. No inline script (CSP).
    expect(lock.body).toMatch(/<div class="keypad" data-keypad hidden>/);
    expect(lock.body).not.toMatch(/<script(?![^>]*\ssrc=)[^>]*>/);

    const noName = await postForm(browser, '/lock', { _csrf: csrfFrom(lock.body), pin: '2580' });
    expect(noName.statusCode).toBe(400);
    expect(noName.body).toContain('data-testid="staffId-error"');
    const wrong = await postForm(browser, '/lock', { _csrf: csrfFrom(lock.body), staffId: bartender.id, pin: '2581' });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.body).toMatch(/data-testid="pin-error">That PIN is not right/);
    // The person stays chosen.
    expect(wrong.body).toMatch(new RegExp(`value="${bartender.id}" checked`));

    const right = await postForm(browser, '/lock', { _csrf: csrfFrom(wrong.body), staffId: bartender.id, pin: '2580' });
    expect(right.statusCode).toBe(303);
    expect(right.headers.location).toBe('/till');
    const home = await browser.get('/catalogue');
    expect(home.body).toContain('data-testid="switch-user"');
    expect(home.body).toContain('<script src="/static/till-lock.js" defer></script>');

    // Switch user: opening the PIN screen signs the person out.
    expect((await browser.get('/lock')).statusCode).toBe(200);
    expect((await browser.get('/api/v1/me')).statusCode).toBe(401);
    // An in-place (htmx) request of a locked till is sent to load the PIN screen as a page, not swap it into a panel.
    const inPlace = await browser.request({ method: 'GET', url: '/catalogue', headers: { 'hx-request': 'true' } });
    expect(inPlace.statusCode).toBe(401);
    expect(inPlace.headers['hx-redirect']).toBe('/lock');
  });

  it('sends a PIN session to a password login for the staff page, and back there after it', async () => {
    const browser = await managerBrowser();
    await enrolThisBrowser(browser, 'Admin bar');
    expect((await setPinOnStaffPage(browser, venue.session.staff.id, '3691')).statusCode).toBe(303);
    const lock = await browser.get('/lock');
    const pin = await postForm(browser, '/lock', { _csrf: csrfFrom(lock.body), staffId: venue.session.staff.id, pin: '3691' });
    expect(pin.headers.location).toBe('/till');

    const staff = await browser.get('/staff');
    expect(staff.statusCode).toBe(303);
    expect(staff.headers.location).toBe('/login?with=password&next=%2Fstaff');
    expect((await browser.get('/pin')).headers.location).toBe('/login?with=password&next=%2Fpin');
    const login = await browser.get(staff.headers.location as string);
    expect(login.statusCode).toBe(200);
    expect(login.body).toContain('data-testid="login-notice"');
    const form = formsIn(login.body, '/login')[0]!;
    expect(form.fields).toMatchObject({ with: 'password', next: '/staff' });
    const done = await postForm(browser, '/login', { ...form.fields, email: venue.account.email, password: venue.account.password });
    expect(done.headers.location).toBe('/staff');
    expect((await browser.get('/staff')).statusCode).toBe(200);
  });

  it('sends a browser whose till was revoked to the email login, as an ordinary browser again', async () => {
    const browser = await managerBrowser();
    const tillId = new URL(await enrolThisBrowser(browser, 'Gone bar'), 'http://x').searchParams.get('enrolled');
    expect(tillId).toMatch(/^[0-9a-f-]{36}$/);
    const elsewhere = await managerBrowser();
    const revoke = formsIn((await elsewhere.get('/staff')).body, `/staff/tills/${tillId}/revoke`)[0]!;
    expect((await postForm(elsewhere, revoke.action, revoke.fields)).statusCode).toBe(303);

    await postForm(browser, '/logout', { _csrf: csrfFrom((await browser.get('/staff')).body) });
    const lock = await browser.get('/lock');
    expect(lock.headers.location).toBe('/login?tillRevoked=1');
    expect(lock.headers['set-cookie']?.toString()).toMatch(/bb_till=;/);
    const login = await browser.get('/login?tillRevoked=1');
    expect(login.statusCode).toBe(200);
    expect(login.body).toContain('no longer enrolled as a till');
  });
});

describe('your own PIN', () => {
  it('needs the current password and the same PIN twice', async () => {
    const bartender = await staffOverHttp(frontEnd, venue, 'bartender');
    const mismatch = await submit(bartender.client, '/pin', '/pin', { currentPassword: bartender.password, pin: '7391', pinRepeat: '7392' });
    expect(mismatch.statusCode).toBe(400);
    expect(mismatch.body).toContain('data-testid="pinRepeat-error"');
    const wrong = await submit(bartender.client, '/pin', '/pin', { currentPassword: 'not it at all', pin: '7391', pinRepeat: '7391' });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.body).toMatch(/data-testid="currentPassword-error">The current password is not correct/);
    const ok = await submit(bartender.client, '/pin', '/pin', { currentPassword: bartender.password, pin: '7391', pinRepeat: '7391' });
    expect(ok.headers.location).toBe('/pin?saved=1');
    expect((await bartender.client.get('/pin?saved=1')).body).toContain('data-testid="pin-saved"');
  });
});
