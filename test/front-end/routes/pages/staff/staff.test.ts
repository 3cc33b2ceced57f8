/**
 * The staff page (front-end/src/routes/pages/staff/) and what it leads to: a
 * new bartender sent to the password page, then refused the manager-only
 * pages, and the manager's audit page. Driven as a browser without script
 * would: GET a page, post one of its forms with the hidden fields it
 * carries, follow the redirect.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Worker } from '@barback/back-end';
import { startFrontEnd, type HttpClient, type TestFrontEnd } from '../../../../helpers/app.js';
import { formsIn, postForm, submit } from '../../../../helpers/forms.js';
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

async function manager(label = 'pages'): Promise<HttpClient> {
  const client = frontEnd.client();
  expect((await client.post('/api/v1/register', newAccount(label), { csrf: false })).statusCode).toBe(201);
  return client;
}

describe('staff, password and manager-only pages', () => {
  it('creates a bartender, who is sent to change the password, then refused the manager pages', async () => {
    const boss = await manager('staff-page');
    const person = newAccount('barstaff');

    const invalid = await submit(boss, '/staff', '/staff', { name: '', email: 'nope', role: 'bartender', password: 'short' });
    expect(invalid.statusCode).toBe(400);
    expect(invalid.body).toMatch(/data-testid="name-error">Name is required\./);
    expect(invalid.body).toMatch(/data-testid="email-error">Enter an email address/);
    expect(invalid.body).toMatch(/data-testid="password-error">The initial password must be at least 10 characters\./);

    const created = await submit(boss, '/staff', '/staff', { name: person.name, email: person.email, role: 'bartender', password: person.password });
    expect(created.statusCode).toBe(303);
    const listed = await boss.get(created.headers.location as string);
    expect(listed.body).toContain('data-testid="created"');
    expect(listed.body).toContain(person.email);

    const duplicate = await submit(boss, '/staff', '/staff', { name: 'Someone', email: person.email, role: 'bartender', password: person.password });
    expect(duplicate.statusCode).toBe(409);
    expect(duplicate.body).toMatch(/data-testid="email-error">An account with this email already exists/);

    const bartender = frontEnd.client();
    const login = await submit(bartender, '/login', '/login', { email: person.email, password: person.password });
    expect(login.statusCode).toBe(303);
    expect((await bartender.get('/')).headers.location).toBe('/password');
    expect((await bartender.get('/till')).headers.location).toBe('/password');
    expect((await bartender.get('/catalogue')).headers.location).toBe('/password');
    const passwordPage = await bartender.get('/password');
    expect(passwordPage.statusCode).toBe(200);
    expect(passwordPage.body).toContain('data-testid="must-change"');
    expect(passwordPage.body).toContain('At least 10 characters, different from the current one.');

    const wrong = await submit(bartender, '/password', '/password', { currentPassword: 'not it at all', newPassword: 'my very own password' });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.body).toMatch(/data-testid="currentPassword-error">The current password is not correct\./);
    expect(wrong.body).not.toContain('my very own password');
    const short = await submit(bartender, '/password', '/password', { currentPassword: person.password, newPassword: 'short' });
    expect(short.statusCode).toBe(400);
    expect(short.body).toMatch(/data-testid="newPassword-error">The new password must be at least 10 characters\./);
    // The same rule as the API's (services/passwords.ts): 200 characters at most, counted as characters.
    const long = await submit(bartender, '/password', '/password', { currentPassword: person.password, newPassword: 'x'.repeat(201) });
    expect(long.statusCode).toBe(400);
    expect(long.body).toMatch(/data-testid="newPassword-error">The new password must be at most 200 characters\./);

    const changed = await submit(bartender, '/password', '/password', { currentPassword: person.password, newPassword: 'my very own password' });
    expect(changed.statusCode).toBe(303);
    expect(changed.headers.location).toBe('/?passwordChanged=1');
    const home = await bartender.get('/?passwordChanged=1');
    expect(home.statusCode).toBe(200);
    expect(home.body).toContain('data-testid="password-changed"');
    expect(home.body).toContain('data-testid="link-till"');
    expect(home.body).not.toContain('data-testid="link-staff"');
    expect((await bartender.get('/till')).statusCode).toBe(200);
    expect((await bartender.get('/catalogue')).statusCode).toBe(200);

    for (const page of ['/staff', '/audit', '/catalogue/new']) {
      const res = await bartender.get(page);
      expect({ page, status: res.statusCode }).toEqual({ page, status: 403 });
      expect(res.body).toContain('Only a manager can');
      expect(res.body).toContain('Not allowed');
    }

    const audit = await boss.get('/audit?action=access.denied');
    expect(audit.statusCode).toBe(200);
    expect(audit.body).toContain('data-testid="audit-row"');
    expect(audit.body).toContain(person.name);
    const badFilter = await boss.get('/audit?from=yesterday');
    expect(badFilter.statusCode).toBe(400);
    expect(badFilter.body).toMatch(/data-testid="from-error">Enter a date and time/);
    expect((await boss.get('/audit?from=2020-01-01T00%3A00&to=2020-01-02T00%3A00')).body).toContain('data-testid="no-entries"');

    const staffPage = await boss.get('/staff');
    const disable = formsIn(staffPage.body, '/staff/').find((f) => f.action.endsWith('/disable'))!;
    expect((await postForm(boss, disable.action, disable.fields)).statusCode).toBe(303);
    // Disabled: the cookie alone is not enough any more.
    expect((await bartender.get('/till')).headers.location).toBe('/login');
  });
});
