/**
 * The sales pages (front-end/src/routes/pages/sales/), driven as a browser
 * without script would, through a real front end and worker: the business
 * day across the 06:00 rollover (and after the start hour changes), a range
 * of days, paging, the totals, a refund of a whole sale and of chosen lines
 * with the method, bad input beside its field, another venue's sale, a
 * bartender refused; and the sale-lines CSV, worked by hand to the cent.
 * Sales are rung through the API and then moved to a chosen close time in
 * the database: the only way to have a sale at 05:59:59 on a given night.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Worker } from '@barback/back-end';
import type { ReplyOf } from '@barback/messaging';
import { businessDay } from '../../../../../back-end/src/domain/business-day.js';
import { createProduct, type ProductBody } from '../../../../helpers/api.js';
import { startFrontEnd, type HttpClient, type TestFrontEnd } from '../../../../helpers/app.js';
import { csrfFrom, postForm } from '../../../../helpers/forms.js';
import { registerOverHttp, staffOverHttp, type HttpVenue } from '../../../../helpers/venue.js';
import { startWorker } from '../../../../helpers/worker.js';

type Sale = ReplyOf<'sales.getSale'>;

let worker: Worker;
let frontEnd: TestFrontEnd;
let venue: HttpVenue;
let manager: HttpClient;
let bartender: HttpClient;
/** Pint €6.00, half €3.20, standard rate (23%). */
let lager: ProductBody;

const servingId = (p: ProductBody, name: string) => p.servings.find((s) => s.name === name)!.id;

async function ring(client: HttpClient, lines: Array<[string, number]>, payments: Array<['cash' | 'card' | 'other', number]>): Promise<Sale> {
  const res = await client.post('/api/v1/sales', {
    lines: lines.map(([id, quantity]) => ({ servingId: id, quantity })),
    payments: payments.map(([method, amountCents]) => ({ method, amountCents })),
  });
  expect(res.statusCode).toBe(201);
  return res.json<Sale>();
}

/** Moves sales to the close times given, in the database. */
async function closeAt(moves: Record<string, string>): Promise<void> {
  const db = await worker.db.primary();
  for (const [id, iso] of Object.entries(moves)) await db.query('UPDATE tabs SET opened_at = $2, closed_at = $2 WHERE id = $1', [id, iso]);
}

/**
 * The venue's day start hour, set through the API: a write, so the manager's
 * session reads after it, and after the database moves before it too.
 */
async function startHour(client: HttpClient, hour: number): Promise<void> {
  const res = await client.request({ method: 'PUT', url: '/api/v1/venue/settings', payload: { bartendersMayVoid: true, businessDayStartHour: hour }, csrf: true });
  expect(res.statusCode).toBe(200);
}

/** The sale ids a sales page shows, top to bottom. */
const shown = (html: string) => [...html.matchAll(/data-testid="sale" data-sale-id="([0-9a-f-]{36})"/g)].map((m) => m[1]!);
const testId = (html: string, id: string) => new RegExp(`data-testid="${id}"[^>]*>([^<]*)<`).exec(html)?.[1] ?? null;
/** The href of a link by its test id, as the browser would follow it. */
function href(html: string, id: string): string | null {
  const m = new RegExp(`<a href="([^"]+)"[^>]*data-testid="${id}"`).exec(html);
  return m ? m[1]!.replace(/&amp;/g, '&') : null;
}
const formKey = (html: string) => /name="idempotencyKey" value="([^"]+)"/.exec(html)![1]!;

beforeAll(async () => {
  worker = await startWorker();
  frontEnd = await startFrontEnd();
  venue = await registerOverHttp(frontEnd, 'sales-pages');
  manager = venue.manager;
  bartender = (await staffOverHttp(frontEnd, venue, 'bartender')).client;
  lager = await createProduct(manager);
}, 60_000);
afterAll(async () => {
  await frontEnd?.close();
  await worker?.stop();
});

describe('/sales', () => {
  let night: Record<'before' | 'opening' | 'lateNight' | 'nextDay', string>;

  beforeAll(async () => {
    const pint = servingId(lager, 'Pint');
    const sales = await Promise.all([0, 1, 2, 3].map(() => ring(manager, [[pint, 1]], [['card', 600]])));
    night = { before: sales[0]!.id, opening: sales[1]!.id, lateNight: sales[2]!.id, nextDay: sales[3]!.id };
    // Winter: Dublin is on UTC, so business day 2026-11-20 runs [2026-11-20T06:00Z, 2026-11-21T06:00Z).
    await closeAt({
      [night.before]: '2026-11-20T05:59:59Z',
      [night.opening]: '2026-11-20T06:00:00Z',
      [night.lateNight]: '2026-11-21T05:30:00Z',
      [night.nextDay]: '2026-11-21T06:00:00Z',
    });
    await startHour(manager, 6);
  });

  it('shows a business day from 06:00 to 06:00 in Dublin, newest first, with the totals of what is shown', async () => {
    const res = await manager.get('/sales?from=2026-11-20');
    expect(res.statusCode).toBe(200);
    expect(shown(res.body)).toEqual([night.lateNight, night.opening]);
    expect(testId(res.body, 'sales-heading')).toBe('Business day Fri 20 Nov 2026');
    expect(testId(res.body, 'sales-span')).toBe('20 Nov 2026, 06:00 to 21 Nov 2026, 06:00');
    // Two pints at €6.00: VAT 600 × 23/123 = 112.2 → €1.12 each.
    expect(testId(res.body, 'total-count')).toBe('2');
    expect(testId(res.body, 'total-gross')).toBe('€12.00');
    expect(testId(res.body, 'total-vat')).toBe('€2.24');
    expect(testId(res.body, 'total-net')).toBe('€9.76');
    // Each sale with its lines, VAT and payments, times in the venue's zone.
    expect(res.body).toContain(`${lager.name} (Pint)`);
    expect(res.body).toMatch(/<td data-label="VAT rate" class="num">23%<\/td>/);
    expect(testId(res.body, 'sale-payments')).toBe('Card €6.00');
    expect(res.body).toContain('Quick sale, 21 Nov 2026, 05:30');

    expect(shown((await manager.get('/sales?from=2026-11-19')).body)).toEqual([night.before]);
  });

  it('moves the rollover when the start hour changes', async () => {
    await startHour(manager, 5);
    try {
      expect(shown((await manager.get('/sales?from=2026-11-20')).body)).toEqual([night.opening, night.before]);
      expect(shown((await manager.get('/sales?from=2026-11-21')).body)).toEqual([night.nextDay, night.lateNight]);
    } finally {
      await startHour(manager, 6);
    }
  });

  it('shows a range of days, and by default the business day under way', async () => {
    const range = await manager.get('/sales?from=2026-11-19&to=2026-11-21');
    expect(range.statusCode).toBe(200);
    expect(shown(range.body)).toEqual([night.nextDay, night.lateNight, night.opening, night.before]);
    expect(testId(range.body, 'sales-heading')).toBe('Business days Thu 19 Nov 2026 to Sat 21 Nov 2026');
    expect(href(range.body, 'sales-csv')).toBe('/sales.csv?from=2026-11-19&to=2026-11-21');

    const now = await ring(manager, [[servingId(lager, 'Half'), 1]], [['cash', 320]]);
    const today = await manager.get('/sales');
    expect(today.statusCode).toBe(200);
    expect(shown(today.body)).toEqual([now.id]);
    const date = businessDay(new Date(), 'Europe/Dublin', 6).date;
    const words = new Intl.DateTimeFormat('en-IE', { timeZone: 'UTC', weekday: 'short', day: 'numeric', month: 'short', year: 'numeric' }).format(new Date(`${date}T00:00:00Z`));
    expect(testId(today.body, 'sales-heading')).toBe(`Business day ${words}`);
  });

  it('pages 25 sales at a time, every sale once, with a way back to the newest', async () => {
    const other = await registerOverHttp(frontEnd, 'sales-paging');
    const product = await createProduct(other.manager);
    const rung: string[] = [];
    for (let i = 0; i < 27; i += 9) {
      rung.push(...(await Promise.all(Array.from({ length: 9 }, () => ring(other.manager, [[servingId(product, 'Pint'), 1]], [['card', 600]])))).map((s) => s.id));
    }
    const first = await other.manager.get('/sales');
    expect(shown(first.body)).toHaveLength(25);
    expect(testId(first.body, 'total-count')).toBe('25 (this page)');
    expect(href(first.body, 'newest-sales')).toBeNull();
    const older = href(first.body, 'older-sales');
    expect(older).toMatch(/^\/sales\?cursor=[A-Za-z0-9_-]+$/);
    const second = await other.manager.get(older!);
    expect(second.statusCode).toBe(200);
    expect(shown(second.body)).toHaveLength(2);
    expect(href(second.body, 'older-sales')).toBeNull();
    expect(href(second.body, 'newest-sales')).toBe('/sales');
    const all = [...shown(first.body), ...shown(second.body)];
    expect([...all].sort()).toEqual([...rung].sort());

    const edited = await other.manager.get(`${older!.slice(0, -3)}xyz`);
    expect(edited.statusCode).toBe(400);
    expect(testId(edited.body, 'form-error')).toBe('This page link is not valid any more: start again from the newest sales.');
  });

  it('shows a closed tab with the line voided off it before payment', async () => {
    const tab = (await manager.post('/api/v1/tabs', { name: 'Snug' })).json<{ id: string }>();
    await manager.post('/api/v1/tabs/lines', { tabId: tab.id, servingId: servingId(lager, 'Pint'), quantity: 2 });
    const withHalf = await manager.post('/api/v1/tabs/lines', { tabId: tab.id, servingId: servingId(lager, 'Half'), quantity: 1 });
    const half = withHalf.json<{ lines: { id: string; servingId: string }[] }>().lines.find((l) => l.servingId === servingId(lager, 'Half'))!;
    expect((await manager.post('/api/v1/tabs/lines/void', { tabId: tab.id, lineId: half.id, reason: 'Rang twice' })).statusCode).toBe(200);
    expect((await manager.post('/api/v1/tabs/close', { tabId: tab.id, payments: [{ method: 'card', amountCents: 1200 }] })).statusCode).toBe(200);
    const page = await manager.get(`/sales/${tab.id}`);
    expect(page.statusCode).toBe(200);
    expect(testId(page.body, 'sale-void')).toMatch(new RegExp(`^1 × ${lager.name} \\(Half\\), €3\\.20, .+: Rang twice$`));
    expect(page.body.match(/data-testid="sale-line"/g)).toHaveLength(1);
    expect(shown((await manager.get('/sales')).body)).toContain(tab.id);
  });

  it('names a bad date beside its field', async () => {
    const bad = await manager.get('/sales?from=2026-13-01');
    expect(bad.statusCode).toBe(400);
    expect(testId(bad.body, 'from-error')).toBe('Enter a date, like 2026-03-01.');
    expect(bad.body).toMatch(/id="from"[^>]*aria-invalid="true"/);
    const backwards = await manager.get('/sales?from=2026-11-21&to=2026-11-20');
    expect(backwards.statusCode).toBe(400);
    expect(testId(backwards.body, 'to-error')).toBe('The last day must not be before the first.');
  });
});

describe('refunds from the sales page', () => {
  it('refunds a whole sale with the method chosen, once however often the form is sent', async () => {
    const sale = await ring(manager, [[servingId(lager, 'Pint'), 1], [servingId(lager, 'Half'), 1]], [['cash', 920]]);
    const page = await manager.get(`/sales/${sale.id}`);
    expect(page.statusCode).toBe(200);
    // Paid one way: that way is chosen already.
    expect(page.body).toContain('<option value="cash" selected>Cash</option>');
    const fields = { _csrf: csrfFrom(page.body), idempotencyKey: formKey(page.body), scope: 'whole', reason: 'Flat pint', method: 'card' };
    const res = await postForm(manager, `/sales/${sale.id}/refund`, fields);
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toMatch(new RegExp(`^/sales/${sale.id}\\?refunded=[0-9a-f-]{36}$`));
    const again = await postForm(manager, `/sales/${sale.id}/refund`, fields);
    expect(again.statusCode).toBe(303);
    expect(again.headers.location).toBe(res.headers.location);

    const after = await manager.get(res.headers.location as string);
    expect(after.body).toContain('data-testid="refund-done"');
    expect(after.body).toContain('data-testid="nothing-to-refund"');
    expect(testId(after.body, 'sale-refund')).toMatch(/^-€9\.20 by Card, .*: Flat pint \(/);
    const got = (await manager.get(`/api/v1/sales/${sale.id}`)).json<Sale>();
    expect(got.refunds.map((r) => ({ method: r.method, grossCents: r.grossCents, reason: r.reason }))).toEqual([{ method: 'card', grossCents: -920, reason: 'Flat pint' }]);
  });

  it('refunds chosen lines of a split sale, asking for the method beside its field', async () => {
    const sale = await ring(manager, [[servingId(lager, 'Pint'), 1], [servingId(lager, 'Half'), 1]], [['cash', 300], ['card', 620]]);
    const half = sale.lines.find((l) => l.servingName === 'Half')!;
    const page = await manager.get(`/sales/${sale.id}`);
    expect(page.body).toContain('<option value="">Choose (the sale was split)</option>');
    expect(page.body).not.toMatch(/<option value="(cash|card|other)" selected>/);
    const base = { _csrf: csrfFrom(page.body), idempotencyKey: formKey(page.body), scope: 'lines', lineIds: half.id, reason: 'Wrong drink' };

    const noMethod = await postForm(manager, `/sales/${sale.id}/refund`, { ...base, method: '' });
    expect(noMethod.statusCode).toBe(400);
    expect(testId(noMethod.body, 'method-error')).toMatch(/^method is required/);
    expect(noMethod.body).toMatch(new RegExp(`value="${half.id}" checked`));
    // The re-rendered form keeps its key: the corrected form goes through once.
    expect(formKey(noMethod.body)).toBe(base.idempotencyKey);

    const res = await postForm(manager, `/sales/${sale.id}/refund`, { ...base, method: 'cash' });
    expect(res.statusCode).toBe(303);
    const got = (await manager.get(`/api/v1/sales/${sale.id}`)).json<Sale>();
    expect(got.refunds).toHaveLength(1);
    expect(got.refunds[0]).toMatchObject({ method: 'cash', grossCents: -320, vatCents: -60, netCents: -260, lines: [{ lineId: half.id, quantity: 1 }] });
    const after = await manager.get(`/sales/${sale.id}`);
    expect(after.body.match(/data-testid="refund-line"/g)).toHaveLength(1);
    expect(after.body.match(/data-testid="line-refunded"/g)).toHaveLength(1);
  });

  it('names bad input beside its field, and refunds nothing', async () => {
    const sale = await ring(manager, [[servingId(lager, 'Pint'), 1]], [['card', 600]]);
    const page = await manager.get(`/sales/${sale.id}`);
    const base = { _csrf: csrfFrom(page.body), idempotencyKey: formKey(page.body), scope: 'whole', method: 'card' };
    const cases: Array<[Record<string, string>, string, RegExp]> = [
      [{ reason: '  ' }, 'reason-error', /^Enter a reason/],
      [{ reason: 'Bell\u0007' }, 'reason-error', /control characters/],
      [{ reason: 'x'.repeat(501) }, 'reason-error', /500/],
      [{ reason: 'Fine', scope: 'lines' }, 'lineIds-error', /^Tick the lines to refund/],
      [{ reason: 'Fine', method: 'cheque' }, 'method-error', /^Choose cash, card or other/],
    ];
    for (const [fields, id, message] of cases) {
      const res = await postForm(manager, `/sales/${sale.id}/refund`, { ...base, ...fields });
      expect({ id, status: res.statusCode }).toEqual({ id, status: 400 });
      expect(testId(res.body, id)).toMatch(message);
    }
    expect((await manager.get(`/api/v1/sales/${sale.id}`)).json<Sale>().refunds).toEqual([]);
  });

  it("answers 404 for another venue's sale, and refunds nothing of it", async () => {
    const other = await registerOverHttp(frontEnd, 'sales-other');
    const theirs = await ring(other.manager, [[servingId(await createProduct(other.manager), 'Pint'), 1]], [['card', 600]]);
    const seen = await manager.get(`/sales/${theirs.id}`);
    expect(seen.statusCode).toBe(404);
    const page = await manager.get('/sales');
    const res = await postForm(manager, `/sales/${theirs.id}/refund`, { _csrf: csrfFrom(page.body), idempotencyKey: 'k-other-venue-1', scope: 'whole', reason: 'Not ours', method: 'card' });
    expect(res.statusCode).toBe(404);
    expect((await other.manager.get(`/api/v1/sales/${theirs.id}`)).json<Sale>().refunds).toEqual([]);
  });

  it('refuses a bartender the pages, the CSV and the refund', async () => {
    const sale = await ring(manager, [[servingId(lager, 'Pint'), 1]], [['card', 600]]);
    for (const url of ['/sales', `/sales/${sale.id}`, '/sales.csv']) {
      const res = await bartender.get(url);
      expect({ url, status: res.statusCode }).toEqual({ url, status: 403 });
      expect(testId(res.body, 'error-message')).toBe('Only a manager can see the sales history.');
    }
    const till = await bartender.get('/till');
    const res = await postForm(bartender, `/sales/${sale.id}/refund`, { _csrf: csrfFrom(till.body), idempotencyKey: 'k-bartender-refund-1', scope: 'whole', reason: 'Mine now', method: 'card' });
    expect(res.statusCode).toBe(403);
    expect((await manager.get(`/api/v1/sales/${sale.id}`)).json<Sale>().refunds).toEqual([]);
  });
});

describe('/sales.csv', () => {
  it('one row per sale line of the days asked for, oldest first, worked by hand; a name like a formula is made text', async () => {
    const bar = await registerOverHttp(frontEnd, 'sales-csv');
    const beer = await createProduct(bar.manager);
    const cordial = await createProduct(bar.manager, {
      name: '=SUM(A1)',
      category: 'soft',
      abv: 0,
      vatClass: 'reduced',
      servings: [{ name: 'Glass', ml: 200, priceCents: 250 }],
    });
    const first = await ring(bar.manager, [[servingId(beer, 'Pint'), 2], [servingId(cordial, 'Glass'), 1]], [['card', 1450]]);
    const second = await ring(bar.manager, [[servingId(beer, 'Half'), 1]], [['cash', 200], ['card', 120]]);
    const nextDay = await ring(bar.manager, [[servingId(beer, 'Pint'), 1]], [['card', 600]]);
    await closeAt({ [first.id]: '2026-11-20T22:15:30Z', [second.id]: '2026-11-21T01:05:00Z', [nextDay.id]: '2026-11-21T06:10:00Z' });
    await startHour(bar.manager, 6);

    const res = await bar.manager.get('/sales.csv?from=2026-11-20&to=2026-11-20');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe('attachment; filename="sales-2026-11-20.csv"');
    // Pints: 1200 × 23/123 = 224.4 → VAT 2.24, net 9.76. Glass at 9% (reduced, from 1 July 2026): 250 × 9/109 = 20.6 → 0.21, net 2.29.
    // Half: 320 × 23/123 = 59.8 → 0.60, net 2.60. Times in Dublin (UTC in November); the 01:05 sale is still the 20th's business day.
    expect(res.body).toBe(
      [
        'sale_id,closed_at,product,serving,quantity,unit_price_eur,gross_eur,vat_rate_percent,vat_eur,net_eur,payment_methods',
        `${first.id},2026-11-20 22:15:30,${beer.name},Pint,2,6.00,12.00,23,2.24,9.76,card`,
        `${first.id},2026-11-20 22:15:30,'=SUM(A1),Glass,1,2.50,2.50,9,0.21,2.29,card`,
        `${second.id},2026-11-21 01:05:00,${beer.name},Half,1,3.20,3.20,23,0.60,2.60,cash+card`,
        '',
      ].join('\r\n'),
    );

    const next = await bar.manager.get('/sales.csv?from=2026-11-21');
    expect(next.body.split('\r\n').slice(1, -1)).toEqual([`${nextDay.id},2026-11-21 06:10:00,${beer.name},Pint,1,6.00,6.00,23,1.12,4.88,card`]);
    const backwards = await bar.manager.get('/sales.csv?from=2026-11-21&to=2026-11-20');
    expect(backwards.statusCode).toBe(400);
    expect(backwards.body).toBe('The last day must not be before the first.');
  });
});
