/**
 * The cash-up pages (front-end/src/routes/pages/shifts/), driven as a browser
 * without script would: a bartender starts the shift with a float; the
 * manager's X shows no expected cash (a blind count), records a paid out,
 * closes with the count; a count beyond the limit comes back with expected
 * and the difference and asks for a note, keeping the count; the Z prints
 * (A4 or receipt), lists, and exports as formula-safe CSV.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Worker } from '@barback/back-end';
import { createProduct, type ProductBody } from '../../../../helpers/api.js';
import { startFrontEnd, type HttpClient, type TestFrontEnd } from '../../../../helpers/app.js';
import { csrfFrom, formsIn, postForm } from '../../../../helpers/forms.js';
import { registerOverHttp, staffOverHttp, type HttpVenue } from '../../../../helpers/venue.js';
import { startWorker } from '../../../../helpers/worker.js';

let worker: Worker;
let frontEnd: TestFrontEnd;
let venue: HttpVenue;
let manager: HttpClient;
let bartender: HttpClient;
let lager: ProductBody;

beforeAll(async () => {
  worker = await startWorker();
  frontEnd = await startFrontEnd();
  venue = await registerOverHttp(frontEnd, 'shift-pages');
  manager = venue.manager;
  bartender = (await staffOverHttp(frontEnd, venue, 'bartender')).client;
  lager = await createProduct(manager);
});
afterAll(async () => {
  await frontEnd?.close();
  await worker?.stop();
});

/** Posts the page's form for `action` with its hidden fields and `fields`. */
async function post(client: HttpClient, action: string, fields: Record<string, string>, page = '/shift') {
  const html = (await client.get(page)).body;
  const form = formsIn(html, action).find((f) => f.action === action);
  if (!form) throw new Error(`no form for ${action} on ${page}`);
  return postForm(client, action, { ...form.fields, ...fields });
}

describe('the cash-up pages', () => {
  it('start, X without expected cash, paid out, a count beyond the limit asks for a note, then the Z', async () => {
    const start = await bartender.get('/shift');
    expect(start.statusCode).toBe(200);
    expect(start.body).toContain('data-testid="start-form"');
    const badFloat = await post(bartender, '/shift/start', { float: 'lots' });
    expect(badFloat.statusCode).toBe(400);
    expect(badFloat.body).toContain('data-testid="float-error"');
    const started = await post(bartender, '/shift/start', { float: '150.00' });
    expect(started.statusCode).toBe(303);
    expect(started.headers.location).toBe('/shift');

    // A pint (lager's first serving) rung for cash.
    const serving = lager.servings[0]!;
    const sale = await manager.post('/api/v1/sales', { lines: [{ servingId: serving.id, quantity: 1 }], payments: [{ method: 'cash', amountCents: serving.priceCents }] });
    expect(sale.statusCode).toBe(201);

    const x = await manager.get('/shift');
    expect(x.body).toContain('X report');
    expect(x.body).toContain('data-testid="close-form"');
    // The blind count: nothing on the page says what the drawer should hold.
    expect(x.body).not.toContain('data-testid="expected"');
    expect(x.body).not.toContain('Expected cash</th>');

    const paidOut = await post(manager, '/shift/cash', { kind: 'paid_out', amount: '20', reason: '=HYPERLINK("x") window cleaner' });
    expect(paidOut.statusCode).toBe(303);
    expect((await manager.get('/shift')).body).toMatch(/data-testid="paid-out">€20\.00</);

    // Expected: 15000 + price − 2000. Count €10 less than that: short beyond €5.00.
    const expected = 15_000 + serving.priceCents - 2000;
    const counted = ((expected - 1000) / 100).toFixed(2);
    const blind = await post(manager, '/shift/close', { counted });
    expect(blind.statusCode).toBe(400);
    expect(blind.body).toContain('data-testid="note-needed"');
    expect(blind.body).toMatch(new RegExp(`data-testid="expected">€${(expected / 100).toFixed(2).replace('.', '\\.')}<`));
    expect(blind.body).toMatch(/data-testid="over-short">-€10\.00</);
    const noteForm = formsIn(blind.body, '/shift/close')[0]!;
    // The count is kept as entered, with the same key, so closing now applies once.
    expect(noteForm.fields['counted']).toBe(counted);
    const closed = await postForm(manager, '/shift/close', { ...noteForm.fields, note: '=1+1 till roll jammed' });
    expect(closed.statusCode).toBe(303);
    const zUrl = closed.headers.location as string;
    expect(zUrl).toMatch(/^\/shift\/z\/[0-9a-f-]{36}$/);

    const z = await manager.get(zUrl);
    expect(z.statusCode).toBe(200);
    expect(z.body).toContain('/static/cash-up.css');
    expect(z.body).toContain('z-report z-a4');
    expect(z.body).toMatch(/data-testid="z-number">Z 1</);
    expect(z.body).toMatch(/data-testid="over-short">-€10\.00</);
    expect((await manager.get(`${zUrl}?paper=receipt`)).body).toContain('z-report z-receipt');
    const css = await manager.get('/static/cash-up.css');
    expect(css.headers['content-type']).toMatch(/text\/css/);
    expect(css.body).toContain('@media print');
    expect(css.body).toContain('size: 80mm auto');

    const list = await manager.get('/shift/z');
    expect(list.body).toContain(`href="${zUrl}"`);
    const csv = await manager.get('/shift/z.csv');
    expect(csv.headers['content-type']).toMatch(/text\/csv/);
    const [header, row] = csv.body.trim().split('\r\n');
    expect(header!.split(',')).toContain('over_short_eur');
    expect(row).toContain(',-10.00,');
    // A note that starts like a formula is text in a spreadsheet.
    expect(row!.endsWith(",'=1+1 till roll jammed")).toBe(true);

    // After the Z the page offers a new shift again.
    expect((await manager.get('/shift')).body).toContain('data-testid="start-form"');
  });

  it('a bartender may start a shift but not read the X, the Z or the CSV', async () => {
    expect((await bartender.get('/shift')).body).not.toContain('X report');
    for (const url of ['/shift/z', '/shift/z.csv']) {
      expect((await bartender.get(url)).statusCode).toBe(403);
    }
    expect((await bartender.get('/shift')).body).toContain('csrf');
    expect(csrfFrom((await bartender.get('/shift')).body)).toBeTruthy();
  });
});
