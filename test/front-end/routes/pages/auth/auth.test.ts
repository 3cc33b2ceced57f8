/**
 * The login, register and logout pages (front-end/src/routes/pages/auth/):
 * each form's errors next to its fields, what users typed escaped, and the
 * CSRF token on every form.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Worker } from '@barback/back-end';
import { startFrontEnd, type HttpClient, type TestFrontEnd } from '../../../../helpers/app.js';
import { csrfFrom } from '../../../../helpers/forms.js';
import { newAccount } from '../../../../helpers/venue.js';
import { startWorker } from '../../../../helpers/worker.js';

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

async function submit(client: HttpClient, path: string, fields: Record<string, string>) {
  const page = await client.get(path);
  const form = new URLSearchParams({ _csrf: csrfFrom(page.body), ...fields }).toString();
  return client.request({ method: 'POST', url: path, payload: form, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
}

describe('pages', () => {
  it('registers through the form, shows the home page, logs out and back in', async () => {
    const account = newAccount('page');
    const client = frontEnd.client();
    const registered = await submit(client, '/register', account);
    expect(registered.statusCode).toBe(303);
    expect(registered.headers.location).toBe('/');

    const home = await client.get('/');
    expect(home.statusCode).toBe(200);
    expect(home.body).toContain(account.venueName.replace(/'/g, '&#39;'));
    expect(home.body).toContain(account.name);

    const out = await client.request({
      method: 'POST',
      url: '/logout',
      payload: new URLSearchParams({ _csrf: csrfFrom(home.body) }).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(out.statusCode).toBe(303);
    expect((await client.get('/')).headers.location).toBe('/login');

    const back = await submit(client, '/login', { email: account.email, password: account.password });
    expect(back.statusCode).toBe(303);
    expect((await client.get('/')).statusCode).toBe(200);
  });

  it('shows what is wrong next to each field and keeps what was typed, except the password', async () => {
    const res = await submit(frontEnd.client(), '/register', { venueName: 'The Local', name: '', email: 'bad', password: 'short' });
    expect(res.statusCode).toBe(400);
    expect(res.body).toMatch(/data-testid="name-error">Your name is required\./);
    expect(res.body).toMatch(/data-testid="email-error">Enter an email address/);
    expect(res.body).toMatch(/data-testid="password-error">Password must be at least 10 characters\./);
    expect(res.body).toContain('value="The Local"');
    expect(res.body).not.toContain('value="short"');
  });

  it('says a wrong password plainly on the login form', async () => {
    const res = await submit(frontEnd.client(), '/login', { email: 'nobody@example.ie', password: 'whatever it is' });
    expect(res.statusCode).toBe(401);
    expect(res.body).toContain('Email or password is incorrect.');
  });

  it('escapes what users typed', async () => {
    const account = { ...newAccount('xss'), venueName: '<script>alert(1)</script>' };
    const client = frontEnd.client();
    await submit(client, '/register', account);
    const home = await client.get('/');
    expect(home.body).not.toContain('<script>alert(1)</script>');
    expect(home.body).toContain('&lt;script&gt;');
  });

  it('refuses a form posted without its CSRF token', async () => {
    const client = frontEnd.client();
    await client.get('/login');
    const res = await client.request({
      method: 'POST',
      url: '/login',
      payload: new URLSearchParams({ email: 'a@b.ie', password: 'x' }).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(res.statusCode).toBe(403);
    expect(res.body).toContain('BB_CSRF');
  });
});
