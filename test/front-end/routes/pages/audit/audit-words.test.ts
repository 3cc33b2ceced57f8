/**
 * The audit page (/audit) in words: what happened at the bar, written by the
 * real handlers, read back as sentences ("Void: Table 4, 1 × … €6.00,
 * reason: rang twice"), never ids, cents or JSON; the action filter is a
 * choice list in words.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Worker } from '@barback/back-end';
import { startFrontEnd, type HttpClient, type TestFrontEnd } from '../../../../helpers/app.js';
import { createProductOverHttp, half, openTabWithPint, pint, quickSale } from '../../../../helpers/api.js';
import { registerOverHttp, staffOverHttp, type HttpVenue, type Product } from '../../../../helpers/venue.js';
import { startWorker } from '../../../../helpers/worker.js';

let worker: Worker;
let frontEnd: TestFrontEnd;
let venue: HttpVenue;
let boss: HttpClient;
let stout: Product;
let bartenderName: string;

/** The sentences of the page's rows, as the browser shows them (entities decoded). */
function summaries(html: string): string[] {
  return [...html.matchAll(/data-testid="audit-summary">([^<]*)</g)].map((m) =>
    m[1]!.replace(/&#39;/g, "'").replace(/&quot;/g, '"').replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>'),
  );
}

beforeAll(async () => {
  worker = await startWorker();
  frontEnd = await startFrontEnd();
  venue = await registerOverHttp(frontEnd, 'audit-words');
  boss = venue.manager;
  stout = await createProductOverHttp(boss, { name: 'Guinness' });

  // A void on a named tab.
  const tab = await openTabWithPint(boss, stout, 'Table 4');
  const voided = await boss.post('/api/v1/tabs/lines/void', { tabId: tab.id, lineId: tab.lines[0]!.id, reason: 'rang twice' });
  expect(voided.statusCode).toBe(200);
  // A refund of a quick sale.
  const sale = await quickSale(boss, stout);
  expect((await boss.post('/api/v1/refunds', { saleId: sale.id, reason: 'flat pint' })).statusCode).toBe(201);
  // A price change.
  const repriced = await boss.request({
    method: 'PATCH',
    url: `/api/v1/products/${stout.id}`,
    payload: { servings: [{ id: pint(stout), name: 'Pint', ml: 568, priceCents: 620 }, { id: half(stout), name: 'Half', ml: 284, priceCents: 300 }] },
    csrf: true,
  });
  expect(repriced.statusCode).toBe(200);
  // A bartender, refused a refund.
  const bartender = await staffOverHttp(frontEnd, venue, 'bartender');
  const staff = (await boss.get('/api/v1/staff')).json<{ items: { id: string; name: string }[] }>().items;
  bartenderName = staff.find((m) => m.id === bartender.id)!.name;
  expect((await bartender.client.post('/api/v1/refunds', { saleId: sale.id, reason: 'mine' })).statusCode).toBe(403);
}, 60_000);
afterAll(async () => {
  await frontEnd?.close();
  await worker?.stop();
});

describe('the audit log in words', () => {
  it('says what happened, with names, quantities, amounts and reasons', async () => {
    const page = await boss.get('/audit');
    expect(page.statusCode).toBe(200);
    const said = summaries(page.body);
    expect(said).toEqual(
      expect.arrayContaining([
        'Void: Table 4, 1 × Guinness (Pint) €5.60, reason: rang twice',
        expect.stringMatching(/^Refund: sale of \d\d:\d\d \(Quick sale\), 1 line \(1 × Guinness \(Half\)\), €3\.00, reason: flat pint$/),
        'Price change: Guinness (Pint) €5.60 → €6.20',
        'Product added: Guinness (Pint €5.60, Half €3.00)',
        `Staff created: ${bartenderName} (bartender)`,
        `Refused: ${bartenderName} tried to refund a sale`,
      ]),
    );
    // No codes, ids, cents or JSON in what a manager reads.
    const table = page.body.slice(page.body.indexOf('data-testid="audit-entries"'));
    expect(table).not.toMatch(/grossCents|priceCents|lineIds|\{&quot;|\{"|tab 0[0-9a-f]{7}/);
    for (const sentence of said) expect(sentence).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-/);
  });

  it('filters by a choice of actions in words, and keeps the choice', async () => {
    const page = await boss.get('/audit');
    expect(page.body).toMatch(/<select id="action" name="action"/);
    expect(page.body).toContain('<option value="tab.void">Void</option>');
    expect(page.body).toContain('<option value="access.denied">Refused</option>');
    expect(page.body).not.toContain('<datalist');

    const voids = await boss.get('/audit?action=tab.void');
    expect(voids.statusCode).toBe(200);
    expect(summaries(voids.body)).toEqual(['Void: Table 4, 1 × Guinness (Pint) €5.60, reason: rang twice']);
    expect(voids.body).toContain('<option value="tab.void" selected>Void</option>');

    const odd = await boss.get('/audit?action=%3Cscript%3E');
    expect(odd.statusCode).toBe(400);
    expect(odd.body).toMatch(/data-testid="action-error">Choose an action from the list/);
    expect(odd.body).not.toContain('<script>');
  });
});
