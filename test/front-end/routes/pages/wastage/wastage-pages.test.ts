/**
 * The wastage pages (front-end/src/routes/pages/wastage/), driven as a
 * browser without script would: the till's Wastage link to the record page,
 * where a bartender writes off a serving in one tap (a double tap once), and
 * the manager's list with its filters and its CSV.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Worker } from '@barback/back-end';
import { createProduct, type ProductBody } from '../../../../helpers/api.js';
import { startFrontEnd, type HttpClient, type TestFrontEnd } from '../../../../helpers/app.js';
import { csrfFrom, postForm } from '../../../../helpers/forms.js';
import { registerOverHttp, staffOverHttp, type HttpVenue } from '../../../../helpers/venue.js';
import { startWorker } from '../../../../helpers/worker.js';

let worker: Worker;
let frontEnd: TestFrontEnd;
let venue: HttpVenue;
let manager: HttpClient;
let bartender: HttpClient;
/** 50 l kegs at €120.00: a pint (568 ml) is 0.01136 keg, €1.3632 → 136c. */
let lager: ProductBody;

interface Wastage {
  id: string;
  productId: string;
  stockUnits: number;
  costCents: number;
  reason: string;
  note: string | null;
}

beforeAll(async () => {
  worker = await startWorker();
  frontEnd = await startFrontEnd();
  venue = await registerOverHttp(frontEnd, 'wastage-pages');
  manager = venue.manager;
  bartender = (await staffOverHttp(frontEnd, venue, 'bartender')).client;
  lager = await createProduct(manager);
});
afterAll(async () => {
  await frontEnd?.close();
  await worker?.stop();
});

async function wastageList(): Promise<Wastage[]> {
  const res = await manager.get('/api/v1/wastage');
  expect(res.statusCode).toBe(200);
  return res.json<{ items: Wastage[] }>().items;
}

/** What tapping a serving's button on the record page posts: the page's CSRF token and that button's value. */
function tapOn(html: string, servingId: string): { _csrf: string; tap: string } {
  const button = new RegExp(`<button type="submit" name="tap" value="([0-9a-f-]{36}:${servingId}:[A-Za-z0-9-]+)"`).exec(html);
  if (!button) throw new Error(`no wastage button for serving ${servingId}`);
  return { _csrf: csrfFrom(html), tap: button[1]! };
}

describe('wastage from the till', () => {
  it('the till strip links to the record page, where a bartender writes a pint off in one tap, once even when tapped twice', async () => {
    const till = await bartender.get('/till');
    expect(till.statusCode).toBe(200);
    expect(till.body).toMatch(/<a href="\/wastage\/record"[^>]*data-testid="record-wastage">Wastage<\/a>/);

    const page = await bartender.get('/wastage/record');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('href="/till"');
    const pint = lager.servings.find((s) => s.name === 'Pint')!;
    const tap = tapOn(page.body, pint.id);
    expect(tap.tap.startsWith(`${lager.id}:${pint.id}:`)).toBe(true);
    expect(page.body).toMatch(/<input type="radio" name="reason" value="spillage" checked>/);
    expect(page.body).not.toContain('value="other"');

    const first = await postForm(bartender, '/wastage/record', { ...tap, reason: 'spillage' });
    expect(first.statusCode).toBe(303);
    expect(first.headers.location).toBe(`/wastage/record?done=${pint.id}&reason=spillage`);
    // A double tap posts the same button again: written off once.
    const again = await postForm(bartender, '/wastage/record', { ...tap, reason: 'spillage' });
    expect(again.statusCode).toBe(303);
    const done = await bartender.get(first.headers.location as string);
    expect(done.body).toMatch(/data-testid="wastage-done">Written off: Lager \d+, pint \(spillage\)\.</);

    const list = await wastageList();
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ productId: lager.id, stockUnits: 0.01136, costCents: 136, reason: 'spillage', note: null });
  });

  it('takes the reason chosen above the button; each render gives the buttons fresh keys', async () => {
    const half = lager.servings.find((s) => s.name === 'Half')!;
    const page = await bartender.get('/wastage/record');
    const res = await postForm(bartender, '/wastage/record', { ...tapOn(page.body, half.id), reason: 'line_cleaning' });
    expect(res.statusCode).toBe(303);
    const next = await bartender.get('/wastage/record');
    expect(tapOn(next.body, half.id).tap).not.toBe(tapOn(page.body, half.id).tap);
    // A tap that is not one of the page's buttons is refused on the page, nothing written.
    const forged = await postForm(bartender, '/wastage/record', { _csrf: csrfFrom(next.body), tap: 'spillage', reason: 'spillage' });
    expect(forged.statusCode).toBe(400);
    expect(forged.body).toMatch(/data-testid="form-error">Tap a serving/);
    const list = await wastageList();
    expect(list).toHaveLength(2);
    // 284/50000 = 0.00568 keg × €120.00 = 68.16 → 68c.
    expect(list[0]).toMatchObject({ stockUnits: 0.00568, costCents: 68, reason: 'line_cleaning' });
  });

  it('turns a bartender away from the manager’s list and its CSV', async () => {
    expect((await bartender.get('/wastage')).statusCode).toBe(403);
    expect((await bartender.get('/wastage.csv')).statusCode).toBe(403);
    expect((await bartender.get('/till')).body).not.toContain('href="/wastage"');
  });
});

describe('the manager’s wastage list and CSV', () => {
  let formulaNote: string;

  beforeAll(async () => {
    // A note a spreadsheet would run as a formula; only through the API can a note be typed.
    formulaNote = `=1+2 ${Date.now()}`;
    const res = await manager.post('/api/v1/wastage', { productId: lager.id, reason: 'other', note: formulaNote, units: 0.5 });
    expect(res.statusCode).toBe(201);
  });

  it('lists every write-off with its reason, cost and who, and the total', async () => {
    const page = await manager.get('/wastage');
    expect(page.statusCode).toBe(200);
    const rows = page.body.match(/data-testid="wastage-row"/g) ?? [];
    expect(rows).toHaveLength(3);
    expect(page.body).toContain('Spillage');
    expect(page.body).toContain('Line cleaning');
    expect(page.body).toContain(`Other: ${formulaNote}`);
    // 136 + 68 + 0.5 × 12000 = 6204c.
    expect(page.body).toMatch(/data-testid="wastage-total">€62\.04</);
    expect(page.body).toContain('href="/wastage.csv"');
  });

  it('filters by reason and by time, the CSV link keeping the filter; a bad time is shown beside its field', async () => {
    const spills = await manager.get('/wastage?reason=spillage');
    expect(spills.statusCode).toBe(200);
    expect(spills.body.match(/data-testid="wastage-row"/g)).toHaveLength(1);
    expect(spills.body).toMatch(/data-testid="wastage-total">€1\.36</);
    expect(spills.body).toContain('href="/wastage.csv?reason=spillage"');
    expect(spills.body).toMatch(/<option value="spillage" selected>/);

    const later = await manager.get('/wastage?from=2099-01-01T00:00');
    expect(later.statusCode).toBe(200);
    expect(later.body).toContain('data-testid="no-wastage"');

    const before = await manager.get('/wastage?to=2000-01-01T00:00');
    expect(before.body).toContain('data-testid="no-wastage"');

    const bad = await manager.get('/wastage?from=yesterday');
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toMatch(/data-testid="from-error">Enter a date and time/);
    expect(bad.body).toContain('value="yesterday"');

    const badReason = await manager.get('/wastage?reason=theft');
    expect(badReason.statusCode).toBe(400);
    expect(badReason.body).toMatch(/data-testid="reason-error">Choose a reason/);
  });

  it('exports CSV with the formula-like note made safe, and only the filtered rows', async () => {
    const csv = await manager.get('/wastage.csv');
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(csv.headers['content-disposition']).toBe('attachment; filename="wastage.csv"');
    const lines = csv.body.split('\r\n').filter(Boolean);
    expect(lines[0]).toBe('recorded_at,product,stock_units,cost_eur,reason,note,recorded_by');
    expect(lines).toHaveLength(4);
    const other = lines.find((l) => l.includes(',other,'))!;
    expect(other).toContain(`,${lager.name},0.5,60.00,other,'${formulaNote},`);
    expect(csv.body).not.toMatch(/,=1\+2/);
    expect(lines.find((l) => l.includes(',spillage,'))).toContain(`,${lager.name},0.01136,1.36,spillage,,`);

    const filtered = await manager.get('/wastage.csv?reason=line_cleaning');
    const rows = filtered.body.split('\r\n').filter(Boolean);
    expect(rows).toHaveLength(2);
    expect(rows[1]).toContain(',line_cleaning,');
    expect((await manager.get('/wastage.csv?to=nonsense')).statusCode).toBe(400);
  });
});
