/**
 * The till page (front-end/src/routes/pages/till/), driven as a browser
 * without script would (GET a page, post one of its forms with the hidden
 * fields it carries, follow the redirect) and as htmx does (the same forms
 * with an HX-Request header, answered with the order panel in place).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Worker } from '@barback/back-end';
import { startFrontEnd, type HttpClient, type TestFrontEnd } from '../../../../helpers/app.js';
import { csrfFrom, formsIn, postForm } from '../../../../helpers/forms.js';
import { newAccount, staffOverHttp, type HttpVenue, type Product, type Session } from '../../../../helpers/venue.js';
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

async function venue(label: string): Promise<HttpVenue & { stout: Product }> {
  const manager = frontEnd.client();
  const account = newAccount(label);
  const res = await manager.post('/api/v1/register', account, { csrf: false });
  expect(res.statusCode).toBe(201);
  const product = await manager.post('/api/v1/products', {
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
  return { manager, session: res.json<Session>(), account, stout: product.json<Product>() };
}

/** What a tap on a product button posts: the ring form's token, and the panel's tab and key (fields that belong to that form). */
function ringFields(html: string, page = html): Record<string, string> {
  const fields: Record<string, string> = { _csrf: csrfFrom(page) };
  for (const m of html.matchAll(/<input type="hidden" form="ring" name="([^"]+)"[^>]*value="([^"]*)">/g)) fields[m[1]!] = m[2]!;
  return fields;
}

const htmx = (client: HttpClient, url: string, fields: Record<string, string>) =>
  client.request({
    method: 'POST',
    url,
    payload: new URLSearchParams(fields).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'hx-request': 'true' },
  });

async function salesOf(venueId: string): Promise<number> {
  const db = await worker.db.primary();
  const { rows } = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM tabs WHERE venue_id = $1 AND status = 'closed'", [venueId]);
  return rows[0]!.n;
}

describe('till page without script', () => {
  it('rings a quick sale (a repeated form adds one drink) and pays it once however often Pay is posted', async () => {
    const { manager, session, stout } = await venue('till-quick');
    const pint = stout.servings[0]!.id;
    const empty = await manager.get('/till');
    expect(empty.statusCode).toBe(200);
    expect(empty.body).toContain('data-testid="order-empty"');
    expect(empty.body).toContain('Harbour &lt;Stout&gt;');
    expect(empty.body).not.toContain('Harbour <Stout>');
    expect(empty.body).toContain('href="#order-panel"');

    const tap = ringFields(empty.body);
    expect(tap.tabId).toBeUndefined();
    const first = await postForm(manager, '/till/ring', { ...tap, servingId: pint });
    expect(first.statusCode).toBe(303);
    expect(first.headers.location).toBe('/till');
    // The same form posted again (a double tap before the page came back) adds nothing.
    await postForm(manager, '/till/ring', { ...tap, servingId: pint });
    let page = await manager.get('/till');
    expect(page.body).toMatch(/data-testid="line-qty">1</);
    await postForm(manager, '/till/ring', { ...ringFields(page.body), servingId: pint });
    page = await manager.get('/till');
    expect(page.body).toMatch(/data-testid="line-qty">2</);
    expect(page.body).toMatch(/data-testid="order-total">€12\.20</);

    const pay = formsIn(page.body, '/till/quick/pay')[0]!;
    expect(pay.fields).toMatchObject({ totalCents: '1220' });
    expect(pay.fields.quickKey).toMatch(/^[0-9a-f-]{36}$/);
    const paid = await postForm(manager, '/till/quick/pay', { ...pay.fields, method: 'card' });
    expect(paid.statusCode).toBe(303);
    const saleUrl = paid.headers.location as string;
    expect(saleUrl).toMatch(/^\/till\?sale=[0-9a-f-]{36}$/);
    // Pay again from the same page: the same sale, nothing new.
    expect((await postForm(manager, '/till/quick/pay', { ...pay.fields, method: 'card' })).headers.location).toBe(saleUrl);
    expect(await salesOf(session.venue.id)).toBe(1);
    const receipt = await manager.get(saleUrl);
    expect(receipt.body).toMatch(/data-testid="paid-total">€12\.20</);
    expect(receipt.body).toContain('by card');
    // The till is neutral again: no tab, an empty quick sale.
    expect(receipt.body).toContain('data-testid="order-empty"');
    expect(ringFields(receipt.body).tabId).toBeUndefined();
  });

  it('opens a tab, rings with the product buttons and +, takes a drink off with a reason, and takes cash with change', async () => {
    const { manager, stout } = await venue('till-tab');
    const pint = stout.servings[0]!.id;
    const form = await manager.get('/till?mode=new');
    const open = formsIn(form.body, '/till/tabs')[0]!;
    const noName = await postForm(manager, '/till/tabs', { ...open.fields, name: '  ' });
    expect(noName.statusCode).toBe(400);
    expect(noName.body).toMatch(/data-testid="name-error">Give the tab a name/);
    expect(noName.body).toMatch(/role="alert" tabindex="-1" autofocus data-testid="alert">Give the tab a name/);

    const opened = await postForm(manager, '/till/tabs', { ...open.fields, name: 'Table 7' });
    expect(opened.statusCode).toBe(303);
    const tabUrl = opened.headers.location as string;
    expect(tabUrl).toMatch(/^\/till\?tab=[0-9a-f-]{36}$/);
    const tabId = tabUrl.split('=')[1]!;

    let page = await manager.get(tabUrl);
    const tap = ringFields(page.body);
    expect(tap.tabId).toBe(tabId);
    expect((await postForm(manager, '/till/ring', { ...tap, servingId: pint })).headers.location).toBe(tabUrl);
    await postForm(manager, '/till/ring', { ...tap, servingId: pint });
    expect((await manager.get(`/api/v1/tabs/${tabId}`)).json().lines).toHaveLength(1);

    page = await manager.get(tabUrl);
    const plus = formsIn(page.body, '/till/ring')[0]!;
    expect(plus.fields).toMatchObject({ tabId, from: 'panel' });
    await postForm(manager, '/till/ring', { ...plus.fields, servingId: pint });
    await postForm(manager, '/till/ring', { ...ringFields((await manager.get(tabUrl)).body), servingId: pint });
    page = await manager.get(tabUrl);
    // Three pints are one row of three.
    expect(page.body.match(/data-testid="order-line"/g)).toHaveLength(1);
    expect(page.body).toMatch(/data-testid="line-qty">3</);
    expect(page.body).toMatch(/data-testid="order-total">€18\.30</);

    const tab = (await manager.get(`/api/v1/tabs/${tabId}`)).json();
    const newest = tab.lines[2].id as string;
    const voidForm = formsIn(page.body, `/till/tabs/${tabId}/lines/`)[0]!;
    expect(voidForm.action).toBe(`/till/tabs/${tabId}/lines/${newest}/void`);
    const noReason = await postForm(manager, voidForm.action, { ...voidForm.fields, reasonText: '' });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.body).toMatch(/data-testid="void-error">Say why this drink comes off the tab\./);
    expect(noReason.body).toMatch(/data-testid="alert">Say why/);
    const voided = await postForm(manager, voidForm.action, { ...voidForm.fields, reason: 'Spilt' });
    expect(voided.statusCode).toBe(303);
    page = await manager.get(tabUrl);
    expect(page.body).toMatch(/data-testid="line-qty">2</);
    expect(page.body).toMatch(/data-testid="voided-line"><s>1 × Harbour &lt;Stout&gt; \(Pint\) €6\.10<\/s> taken off: Spilt/);

    const notes = formsIn(page.body, `/till/tabs/${tabId}/pay`).find((f) => f.fields.method === 'cash' && f.fields.from === 'panel')!;
    expect(page.body).toMatch(/data-testid="tender-2000"/);
    expect(page.body).not.toMatch(/data-testid="tender-1000"/);
    const short = await postForm(manager, notes.action, { ...notes.fields, tenderedEuro: '10' });
    expect(short.statusCode).toBe(400);
    expect(short.body).toMatch(/data-testid="tenderedEuro-error">€10\.00 is less than the total €12\.20\./);
    const paid = await postForm(manager, notes.action, { ...notes.fields, tendered: '2000' });
    expect(paid.statusCode).toBe(303);
    expect(paid.headers.location).toBe(`/till?sale=${tabId}&tendered=2000`);
    const receipt = await manager.get(paid.headers.location as string);
    expect(receipt.body).toMatch(/data-testid="paid-change">€7\.80</);
    // The payment recorded is the total, not the note handed over.
    const db = await worker.db.primary();
    const { rows } = await db.query('SELECT method, amount_cents FROM payments WHERE tab_id = $1', [tabId]);
    expect(rows).toEqual([{ method: 'cash', amount_cents: 1220 }]);

    const closed = await manager.get(tabUrl);
    expect(closed.body).toMatch(/data-testid="note">“Table 7” is already paid/);
  });

  it('splits a bill by the drinks ticked, and by amount', async () => {
    const { manager, stout } = await venue('till-split');
    const pint = stout.servings[0]!.id;
    const tabId = (await manager.post('/api/v1/tabs', { name: 'Table 4' })).json().id as string;
    for (let i = 0; i < 3; i += 1) await manager.post('/api/v1/tabs/lines', { tabId, servingId: pint, quantity: 1 });
    const lines = (await manager.get(`/api/v1/tabs/${tabId}`)).json().lines as { id: string }[];

    const page = await manager.get(`/till?tab=${tabId}&mode=split`);
    expect(page.body.match(/data-testid="split-line"/g)).toHaveLength(3);
    const byLines = formsIn(page.body, `/till/tabs/${tabId}/split`)[0]!;
    const none = await postForm(manager, byLines.action, byLines.fields);
    expect(none.statusCode).toBe(400);
    expect(none.body).toMatch(/data-testid="alert">Tick the drinks to pay for now\./);
    const split = await manager.request({
      method: 'POST',
      url: byLines.action,
      payload: new URLSearchParams([...Object.entries(byLines.fields), ['lineIds', lines[0]!.id], ['lineIds', lines[1]!.id]]).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(split.statusCode).toBe(303);
    const newTab = /^\/till\?tab=([0-9a-f-]{36})$/.exec(split.headers.location as string)![1]!;
    expect(newTab).not.toBe(tabId);
    expect((await manager.get(`/api/v1/tabs/${newTab}`)).json()).toMatchObject({ name: 'Table 4 (split)', grossCents: 1220 });
    expect((await manager.get(`/api/v1/tabs/${tabId}`)).json().grossCents).toBe(610);

    const amounts = formsIn((await manager.get(`/till?tab=${tabId}&mode=split`)).body, `/till/tabs/${tabId}/pay`).find((f) => f.fields.method === 'split')!;
    const mismatch = await postForm(manager, amounts.action, { ...amounts.fields, cashAmount: '5', cardAmount: '1' });
    expect(mismatch.statusCode).toBe(400);
    expect(mismatch.body).toMatch(/data-testid="alert">Payments add up to €6\.00 but the total is €6\.10/);
    expect(mismatch.body).toContain('value="5"');
    const paid = await postForm(manager, amounts.action, { ...amounts.fields, cashAmount: '5', cardAmount: '1,10' });
    expect(paid.statusCode).toBe(303);
    expect((await manager.get(paid.headers.location as string)).body).toMatch(/data-testid="paid-total">€6\.10<\/strong> €5\.00 cash, €1\.10 card/);
  });

  it('shows a bartender that only a manager may take a drink off, when the venue says so, and refuses it in the panel', async () => {
    const place = await venue('till-void-setting');
    const pint = place.stout.servings[0]!.id;
    const bartender = (await staffOverHttp(frontEnd, place, 'bartender')).client;
    const tabId = (await bartender.post('/api/v1/tabs', { name: 'Snug' })).json().id as string;
    await bartender.post('/api/v1/tabs/lines', { tabId, servingId: pint, quantity: 1 });
    const allowed = await bartender.get(`/till?tab=${tabId}`);
    const voidForm = formsIn(allowed.body, `/till/tabs/${tabId}/lines/`)[0]!;
    expect(voidForm).toBeDefined();

    const settings = await place.manager.get('/settings');
    expect(settings.statusCode).toBe(200);
    const save = formsIn(settings.body, '/settings')[0]!;
    const saved = await postForm(place.manager, '/settings', { ...save.fields, voiders: 'managers' });
    expect(saved.statusCode).toBe(303);
    expect((await place.manager.get('/settings?saved=1')).body).toMatch(/value="managers" checked/);
    expect((await bartender.get('/settings')).statusCode).toBe(403);

    const refusedPage = await bartender.get(`/till?tab=${tabId}`);
    expect(refusedPage.body).toContain('data-testid="void-not-allowed"');
    expect(formsIn(refusedPage.body, `/till/tabs/${tabId}/lines/`)).toHaveLength(0);
    // A form from before the change is refused by the worker, in the panel.
    const refused = await postForm(bartender, voidForm.action, { ...voidForm.fields, reason: 'Spilt' });
    expect(refused.statusCode).toBe(403);
    expect(refused.body).toMatch(/data-testid="alert">Only a manager can void a line at this venue/);
    expect((await bartender.get(`/api/v1/tabs/${tabId}`)).json().grossCents).toBe(610);
  });

  it('refuses a till form posted without its CSRF token', async () => {
    const { manager } = await venue('till-csrf');
    await manager.get('/till');
    const res = await postForm(manager, '/till/tabs', { name: 'Sneaky' });
    expect(res.statusCode).toBe(403);
    expect(res.body).toContain('BB_CSRF');
  });
});

describe('till page with htmx', () => {
  it('answers a form with the order panel and the strip, in place, refusals included', async () => {
    const { manager, stout } = await venue('till-htmx');
    const pint = stout.servings[0]!.id;
    const form = await manager.get('/till?mode=new');
    const opened = await htmx(manager, '/till/tabs', { ...formsIn(form.body, '/till/tabs')[0]!.fields, name: 'Table 1' });
    expect(opened.statusCode).toBe(200);
    expect(opened.body.trimStart()).toMatch(/^<section id="order-panel"/);
    expect(opened.body).toContain('<ul id="open-tabs" hx-swap-oob="innerHTML">');
    expect(opened.body).not.toContain('<html');
    const tabId = /name="tabId" id="ring-tab" value="([0-9a-f-]{36})"/.exec(opened.body)![1]!;
    expect(opened.headers['hx-replace-url']).toBe(`/till?tab=${tabId}`);

    const rung = await htmx(manager, '/till/ring', { ...ringFields(opened.body, form.body), servingId: pint });
    expect(rung.statusCode).toBe(200);
    expect(rung.body).toMatch(/data-testid="order-total">€6\.10</);
    expect(rung.body).toMatch(/id="plus-[^"]+"/);

    const voidForm = formsIn(rung.body, `/till/tabs/${tabId}/lines/`)[0]!;
    const refused = await htmx(manager, voidForm.action, { ...voidForm.fields, reasonText: '' });
    // 200 so that htmx swaps it in; the refusal is the alert, which takes the focus.
    expect(refused.statusCode).toBe(200);
    expect(refused.body).toMatch(/<p id="order-alert" class="order-alert" role="alert" tabindex="-1" autofocus data-testid="alert">Say why/);
    expect(refused.body).toMatch(/<details class="remove" open>/);

    const pay = formsIn(rung.body, `/till/tabs/${tabId}/pay`).find((f) => !f.fields.method)!;
    const paid = await htmx(manager, pay.action, { ...pay.fields, method: 'card' });
    expect(paid.statusCode).toBe(200);
    expect(paid.headers['hx-replace-url']).toBe(`/till?sale=${tabId}`);
    expect(paid.body).toMatch(/data-testid="paid-total">€6\.10</);
    // Neutral: the panel names no tab, so the next tap is a quick sale.
    expect(paid.body).not.toContain('name="tabId"');
    const again = await htmx(manager, pay.action, { ...pay.fields, method: 'card' });
    expect(again.body).toMatch(/data-testid="paid-total">€6\.10</);
    const db = await worker.db.primary();
    expect((await db.query('SELECT count(*)::int AS n FROM payments WHERE tab_id = $1', [tabId])).rows[0].n).toBe(1);
  });

  it('sends htmx to the login page without a session, and shows a bad CSRF token in the panel', async () => {
    const stranger = frontEnd.client();
    const res = await htmx(stranger, '/till/ring', { servingId: '00000000-0000-4000-8000-000000000000' });
    expect(res.headers['hx-redirect']).toBe('/login');

    const { manager } = await venue('till-htmx-csrf');
    await manager.get('/till');
    const noToken = await htmx(manager, '/till/tabs', { name: 'Sneaky' });
    expect(noToken.statusCode).toBe(200);
    expect(noToken.body).toMatch(/data-testid="alert">Missing or invalid CSRF token/);
  });
});
