/**
 * The server-rendered pages of the till, catalogue, staff, audit and password
 * areas, driven as a browser without script would: GET a page, post one of
 * its forms with the hidden fields it carries, follow the redirect.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Worker } from '@barback/back-end';
import { startFrontEnd, type HttpClient, type TestFrontEnd } from '../../../helpers/app.js';
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

interface PageForm {
  action: string;
  fields: Record<string, string>;
}

/** The POST forms of a page whose action starts with `prefix`, with their hidden fields. */
function formsIn(html: string, prefix: string): PageForm[] {
  const forms: PageForm[] = [];
  for (const m of html.matchAll(/<form method="post" action="([^"]+)"[^>]*>([\s\S]*?)<\/form>/g)) {
    if (!m[1]!.startsWith(prefix)) continue;
    const fields: Record<string, string> = {};
    for (const input of m[2]!.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) fields[input[1]!] = input[2]!;
    forms.push({ action: m[1]!, fields });
  }
  return forms;
}

function csrfFrom(html: string): string {
  const match = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!match) throw new Error('no CSRF field in the page');
  return match[1]!;
}

function postForm(client: HttpClient, url: string, fields: Record<string, string>) {
  return client.request({
    method: 'POST',
    url,
    payload: new URLSearchParams(fields).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });
}

/** GETs `page`, then posts to `action` with the page's CSRF token (and any other fields given). */
async function submit(client: HttpClient, page: string, action: string, fields: Record<string, string>) {
  const html = (await client.get(page)).body;
  return postForm(client, action, { _csrf: csrfFrom(html), ...fields });
}

async function manager(label = 'pages'): Promise<HttpClient> {
  const client = frontEnd.client();
  expect((await client.post('/api/v1/register', newAccount(label), { csrf: false })).statusCode).toBe(201);
  return client;
}

const LAGER = {
  name: 'Harbour Lager',
  category: 'draught',
  abv: '4.3',
  vatClass: 'standard',
  unitMl: '50000',
  unitCost: '120.00',
  parUnits: '2',
  'servings.0.name': 'Pint',
  'servings.0.ml': '568',
  'servings.0.price': '6.00',
  'servings.1.name': 'Half',
  'servings.1.ml': '284',
  'servings.1.price': '3.20',
};

describe('catalogue pages', () => {
  it('shows the minimum unit price beside the serving’s price field, then saves and edits the product', async () => {
    const client = await manager('catalogue-page');
    const form = await client.get('/catalogue/new');
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('name="servings.0.price"');
    expect(form.body).toContain('<option value="draught" selected>');

    // Row 0 left blank: the error must land on the row the price was typed in.
    const tooCheap = await submit(client, '/catalogue/new', '/catalogue/new', {
      ...LAGER,
      'servings.0.name': '',
      'servings.0.ml': '',
      'servings.0.price': '',
      'servings.2.name': 'Pint',
      'servings.2.ml': '568',
      'servings.2.price': '1.50',
    });
    expect(tooCheap.statusCode).toBe(400);
    expect(tooCheap.body).toMatch(/data-testid="servings\.2\.price-error">[^<]*€1\.93/);
    expect(tooCheap.body).toContain('value="Harbour Lager"');

    const typo = await submit(client, '/catalogue/new', '/catalogue/new', { ...LAGER, abv: 'strong', 'servings.1.price': 'three' });
    expect(typo.statusCode).toBe(400);
    expect(typo.body).toMatch(/data-testid="abv-error">ABV is a percentage/);
    expect(typo.body).toMatch(/data-testid="servings\.1\.price-error">Enter the price in euro/);

    const saved = await submit(client, '/catalogue/new', '/catalogue/new', LAGER);
    expect(saved.statusCode).toBe(303);
    const location = saved.headers.location as string;
    expect(location).toMatch(/^\/catalogue\/[0-9a-f-]{36}\?saved=1$/);
    const edit = await client.get(location);
    expect(edit.statusCode).toBe(200);
    expect(edit.body).toContain('data-testid="saved"');
    expect(edit.body).toContain('value="6.00"');

    const taken = await submit(client, '/catalogue/new', '/catalogue/new', LAGER);
    expect(taken.statusCode).toBe(409);
    expect(taken.body).toMatch(/data-testid="name-error">There is already a product called Harbour Lager/);

    const productPath = location.split('?')[0]!;
    const editFields = formsIn(edit.body, productPath)[0]!.fields;
    const repriced = await postForm(client, productPath, {
      ...LAGER,
      ...editFields,
      'servings.0.id': editFields['servings.0.id']!,
      'servings.0.price': '6.50',
      'servings.1.id': editFields['servings.1.id']!,
    });
    expect(repriced.statusCode).toBe(303);
    const list = await client.get('/catalogue');
    expect(list.statusCode).toBe(200);
    expect(list.body).toContain('€6.50');
    expect(list.body).toContain('€3.20');

    expect((await client.get('/catalogue/not-an-id')).statusCode).toBe(400);
    expect((await client.get('/catalogue/00000000-0000-4000-8000-000000000000')).statusCode).toBe(404);
  });
});

describe('till page', () => {
  it('opens a tab, rings a drink with one tap (once per tap, even when double-submitted), voids and pays split', async () => {
    const client = await manager('till-page');
    const product = await client.post('/api/v1/products', {
      name: 'Harbour <Stout>',
      category: 'draught',
      abv: 4.2,
      vatClass: 'standard',
      unitMl: 50_000,
      unitCostCents: 12_000,
      parUnits: 2,
      servings: [{ name: 'Pint', ml: 568, priceCents: 610 }],
    });
    expect(product.statusCode).toBe(201);

    const empty = await client.get('/till');
    expect(empty.statusCode).toBe(200);
    expect(empty.body).toContain('data-testid="choose-tab"');
    expect(empty.body).toContain('Harbour &lt;Stout&gt;');
    expect(empty.body).not.toContain('Harbour <Stout>');

    const noName = await submit(client, '/till', '/till/tabs', { name: '  ' });
    expect(noName.statusCode).toBe(400);
    expect(noName.body).toMatch(/data-testid="name-error">Give the tab a name/);

    const opened = await submit(client, '/till', '/till/tabs', { name: 'Table 7' });
    expect(opened.statusCode).toBe(303);
    const tabUrl = opened.headers.location as string;
    expect(tabUrl).toMatch(/^\/till\?tab=[0-9a-f-]{36}$/);
    const tabId = tabUrl.split('=')[1]!;

    const page = await client.get(tabUrl);
    expect(page.statusCode).toBe(200);
    const [ring] = formsIn(page.body, `/till/tabs/${tabId}/lines`);
    expect(ring).toBeDefined();
    expect(ring!.fields).toMatchObject({ quantity: '1', servingId: product.json().servings[0].id });
    expect(ring!.fields.idempotencyKey).toMatch(/^[0-9a-f-]{36}$/);

    const tap = await postForm(client, ring!.action, ring!.fields);
    expect(tap.statusCode).toBe(303);
    expect(tap.headers.location).toBe(tabUrl);
    // The same form posted again (a double tap) rings nothing new.
    expect((await postForm(client, ring!.action, ring!.fields)).statusCode).toBe(303);
    let tab = (await client.get(`/api/v1/tabs/${tabId}`)).json();
    expect(tab.lines).toHaveLength(1);

    // A fresh render carries fresh keys: the next tap is a second drink.
    const again = formsIn((await client.get(tabUrl)).body, `/till/tabs/${tabId}/lines`)[0]!;
    expect(again.fields.idempotencyKey).not.toBe(ring!.fields.idempotencyKey);
    await postForm(client, again.action, again.fields);
    const third = formsIn((await client.get(tabUrl)).body, `/till/tabs/${tabId}/lines`)[0]!;
    await postForm(client, third.action, third.fields);
    tab = (await client.get(`/api/v1/tabs/${tabId}`)).json();
    expect(tab.lines).toHaveLength(3);

    const withLines = await client.get(tabUrl);
    expect(withLines.body).toMatch(/data-testid="tab-total">€18\.30</);

    const lineId = tab.lines[2].id as string;
    const voidAction = `/till/tabs/${tabId}/lines/${lineId}/void`;
    const voidForm = formsIn(withLines.body, voidAction)[0]!;
    const noReason = await postForm(client, voidAction, { ...voidForm.fields, reason: '' });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.body).toMatch(/data-testid="void-error">Say why this line is voided\./);
    const voided = await postForm(client, voidAction, { ...voidForm.fields, reason: 'Rang twice' });
    expect(voided.statusCode).toBe(303);
    const afterVoid = await client.get(tabUrl);
    expect(afterVoid.body).toMatch(/data-testid="tab-total">€12\.20</);
    expect(afterVoid.body).toContain('voided: Rang twice');

    const payForms = formsIn(afterVoid.body, `/till/tabs/${tabId}/pay`);
    const split = payForms.find((f) => f.fields.method === 'split')!;
    const badAmount = await postForm(client, split.action, { ...split.fields, cashAmount: 'ten', cardAmount: '2.20' });
    expect(badAmount.statusCode).toBe(400);
    expect(badAmount.body).toMatch(/data-testid="cashAmount-error">Enter the cash amount in euro/);
    expect(badAmount.body).toContain('value="2.20"');
    const mismatch = await postForm(client, split.action, { ...split.fields, cashAmount: '10', cardAmount: '2' });
    expect(mismatch.statusCode).toBe(400);
    expect(mismatch.body).toMatch(/data-testid="split-error">Payments add up to €12\.00 but the total is €12\.20/);

    const paid = await postForm(client, split.action, { ...split.fields, cashAmount: '10,00', cardAmount: '2.20' });
    expect(paid.statusCode).toBe(303);
    const saleUrl = paid.headers.location as string;
    expect(saleUrl).toBe(`/till?sale=${tabId}`);
    // Paying twice (a double-clicked Pay) charges once.
    expect((await postForm(client, split.action, { ...split.fields, cashAmount: '10.00', cardAmount: '2.20' })).headers.location).toBe(saleUrl);
    const receipt = await client.get(saleUrl);
    expect(receipt.body).toMatch(/data-testid="sale-total">€12\.20</);
    expect(receipt.body).toContain('cash €10.00');
    expect(receipt.body).toContain('card €2.20');
    const primary = await worker.db.primary();
    const { rows } = await primary.query('SELECT count(*)::int AS n FROM payments WHERE tab_id = $1', [tabId]);
    expect(rows[0].n).toBe(2);

    const closed = await client.get(tabUrl);
    expect(closed.body).toContain('data-testid="tab-closed"');
  });

  it('refuses a till form posted without its CSRF token', async () => {
    const client = await manager('till-csrf');
    await client.get('/till');
    const res = await postForm(client, '/till/tabs', { name: 'Sneaky' });
    expect(res.statusCode).toBe(403);
    expect(res.body).toContain('BB_CSRF');
  });
});

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
