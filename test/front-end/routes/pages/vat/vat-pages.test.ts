/**
 * The VAT pages (front-end/src/routes/pages/vat/) in Debian's Chromium at a
 * tablet's 1024×768 and a phone's 390×844, with axe: /vat opens on the last
 * complete two-month period with each box explained, the cents and the ROS
 * whole-euro figures; the current period warns of a tab still open; a bad
 * period is named beside its field (400); the workings CSV lists every
 * document counted; the RTD for the year; a bartender is refused.
 *
 * The sale in the last complete period is inserted by SQL with its past
 * closing time, in the shape the quick sale writes (the day totals' triggers
 * count it as they count any sale: see test/back-end/handlers/vat/).
 */
import { join } from 'node:path';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { APIResponse, BrowserContext, Page } from 'playwright-core';
import { ARTIFACTS, SIZES, axeProblems, sidewaysOverflow, startBrowserRig, type BrowserRig } from '../../../../helpers/browser.js';
import { newAccount } from '../../../../helpers/venue.js';

let rig: BrowserRig;
let primary: pg.Pool;

const VIEWPORTS = SIZES.map(({ width, height }) => ({ width, height }));
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

const today = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Dublin' }).format(new Date());
function periodOf(date: string): { year: number; month: number } {
  const month = Number(date.slice(5, 7));
  return { year: Number(date.slice(0, 4)), month: month % 2 === 1 ? month : month - 1 };
}
const key = (p: { year: number; month: number }) => `${p.year}-${String(p.month).padStart(2, '0')}`;
const current = periodOf(today());
const lastComplete = current.month === 1 ? { year: current.year - 1, month: 11 } : { year: current.year, month: current.month - 2 };
const LAST = key(lastComplete);
const CURRENT = key(current);
const LAST_LABEL = `${MONTHS[lastComplete.month - 1]}–${MONTHS[lastComplete.month]} ${lastComplete.year}`;

async function ok(response: APIResponse, what: string): Promise<unknown> {
  if (response.status() >= 300) throw new Error(`${what} failed: ${response.status()} ${await response.text()}`);
  return response.json();
}

/** Each row's cells, their text joined by a space. */
async function rows(page: Page, testId: string): Promise<string[]> {
  const cells = page.locator(`[data-testid=${testId}]`);
  const out: string[] = [];
  for (let i = 0; i < (await cells.count()); i += 1) out.push((await cells.nth(i).locator('th, td').allTextContents()).map((t) => t.trim()).join(' '));
  return out;
}

let manager: BrowserContext;
let venueId: string;
let csrf: Record<string, string>;

beforeAll(async () => {
  rig = await startBrowserRig();
  primary = await rig.worker.db.primary();
  // bypassCSP: axe is injected past the pages' CSP, in the test's context only.
  manager = await rig.browser.newContext({ viewport: VIEWPORTS[0]!, bypassCSP: true });
  const registered = (await ok(await manager.request.post(`${rig.baseUrl}/api/v1/register`, { data: newAccount('vat-pages') }), 'register')) as {
    csrfToken: string;
    venue: { id: string };
    staff: { id: string };
  };
  venueId = registered.venue.id;
  const headers = { 'x-csrf-token': registered.csrfToken };
  csrf = headers;
  const product = (await ok(
    await manager.request.post(`${rig.baseUrl}/api/v1/products`, {
      headers,
      data: {
        name: 'Stout',
        category: 'draught',
        abv: 4.3,
        vatClass: 'standard',
        unitMl: 50_000,
        unitCostCents: 15_000,
        parUnits: 0,
        servings: [{ name: 'Pint', ml: 568, priceCents: 560 }],
      },
    }),
    'product',
  )) as { id: string; servings: { id: string }[] };
  const supplier = (await ok(await manager.request.post(`${rig.baseUrl}/api/v1/suppliers`, { headers, data: { name: 'Liffey Wholesale' } }), 'supplier')) as { id: string };
  // In the last complete period, on its 10th: 2 kegs at €150.00, net 30000, VAT 23% 6900.
  await ok(
    await manager.request.post(`${rig.baseUrl}/api/v1/deliveries`, {
      headers,
      data: { supplierId: supplier.id, invoiceNumber: 'INV-1', invoiceDate: `${LAST}-10`, lines: [{ productId: product.id, quantity: 2, unitCostCents: 15_000 }] },
    }),
    'delivery',
  );
  // A sale of 10 pints (€56.00 at 23%: VAT 5600 × 23/123 = 1047.15 → 1047, net 4553) at noon on the 12th of that period.
  const servingId = product.servings[0]!.id;
  await primary.query(
    `WITH tab AS (
       INSERT INTO tabs (venue_id, name, opened_by, opened_at, status, closed_by, closed_at, gross_cents, vat_cents, net_cents)
       VALUES ($1, 'Past sale', $2, $3, 'closed', $2, $3, 5600, 1047, 4553) RETURNING id
     ), line AS (
       INSERT INTO tab_lines (tab_id, venue_id, serving_id, product_id, description, quantity, unit_price_cents, gross_cents,
                              vat_class, vat_rate_bp, vat_cents, net_cents, stock_draw_units, added_by, added_at)
       SELECT tab.id, $1, $4, $5, 'Stout (Pint)', 10, 560, 5600, 'standard', 2300, 1047, 4553, 0, $2, $3 FROM tab
     ), payment AS (
       INSERT INTO payments (tab_id, venue_id, method, amount_cents, created_at) SELECT tab.id, $1, 'card', 5600, $3 FROM tab
     )
     SELECT 1`,
    [venueId, registered.staff.id, `${LAST}-12T12:00:00Z`, servingId, product.id],
  );
  // A tab opened today and left open: the current period warns about it.
  await ok(await manager.request.post(`${rig.baseUrl}/api/v1/tabs`, { headers, data: { name: 'Still drinking' } }), 'tab');
}, 120_000);
afterAll(async () => {
  await manager?.close();
  await rig?.close();
});

describe('/vat', () => {
  for (const viewport of VIEWPORTS) {
    it(`opens on the last complete period with the boxes, the ROS figures and the rates, at ${viewport.width}×${viewport.height}`, async () => {
      const page = await manager.newPage();
      await page.setViewportSize(viewport);
      try {
        const res = await page.goto(`${rig.baseUrl}/vat`);
        expect(res?.status()).toBe(200);
        expect(await page.textContent('[data-testid=vat-heading]')).toBe(LAST_LABEL);
        const box = async (name: string) => ({
          cents: (await page.textContent(`[data-box=${name}] [data-testid=box-cents]`))?.trim(),
          ros: (await page.textContent(`[data-box=${name}] [data-testid=box-ros]`))?.trim(),
        });
        // T1 €10.47 → 10; T2 €69.00 → 69; T4 = 69 − 10 = 59 (€58.53 exactly).
        expect(await box('T1')).toEqual({ cents: '€10.47', ros: '10' });
        expect(await box('T2')).toEqual({ cents: '€69.00', ros: '69' });
        expect(await box('T3')).toEqual({ cents: '€0.00', ros: '0' });
        expect(await box('T4')).toEqual({ cents: '€58.53', ros: '59' });
        expect(await box('PA1')).toEqual({ cents: '€0.00', ros: '0' });
        expect(await page.locator('[data-testid=vat-box]').count()).toBe(9);
        expect(await rows(page, 'sales-rate')).toEqual(['23% €45.53 €10.47']);
        expect(await rows(page, 'purchases-rate')).toEqual(['23% €300.00 €69.00']);
        // The tab opened today was not open at the end of a past period.
        expect(await page.locator('[data-testid=open-tabs-warning]').count()).toBe(0);
        expect(await sidewaysOverflow(page)).toBe(0);
        expect(await axeProblems(page, page.url())).toEqual([]);
        await page.screenshot({ path: join(ARTIFACTS, `vat-${viewport.width}x${viewport.height}.png`), fullPage: true });

        // The current period, chosen in the form: the open tab is warned about.
        await page.selectOption('#period', CURRENT);
        await Promise.all([page.waitForURL(`**/vat?period=${CURRENT}`), page.click('[data-testid=show-period]')]);
        expect(await page.textContent('[data-testid=open-tabs-warning]')).toContain('1 tab was opened before the period ended');
        expect(await axeProblems(page, page.url())).toEqual([]);
      } finally {
        await page.close();
      }
    });
  }

  it('names a bad period beside its field with 400, and still shows the form', async () => {
    const page = await manager.newPage();
    try {
      const res = await page.goto(`${rig.baseUrl}/vat?period=2026-02`);
      expect(res?.status()).toBe(400);
      expect(await page.textContent('[data-testid=period-error]')).toContain('first month of a two-month VAT period');
      expect(await page.getAttribute('#period', 'aria-invalid')).toBe('true');
      const dates = await page.goto(`${rig.baseUrl}/vat?from=2026-09-02&to=2026-09-01`);
      expect(dates?.status()).toBe(400);
      expect(await page.textContent('[data-testid=to-error]')).toBe('to must not be before from.');
      expect(await axeProblems(page, page.url())).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('downloads the workings: every document counted, one row each, formula-safe CSV', async () => {
    const res = await manager.request.get(`${rig.baseUrl}/vat/workings.csv?period=${LAST}`);
    expect(res.status()).toBe(200);
    expect(res.headers()['content-type']).toMatch(/^text\/csv/);
    const lines = (await res.text()).trimEnd().split('\r\n');
    expect(lines[0]).toBe('date,kind,id,vat_rate_percent,net_eur,vat_eur');
    expect(lines.slice(1).map((l) => l.split(',').filter((_, i) => i !== 2))).toEqual([
      [`${LAST}-10`, 'invoice', '23', '300.00', '69.00'],
      [`${LAST}-12`, 'sale', '23', '45.53', '10.47'],
    ]);
  });

  it('shows the RTD for the year with its periods, accessibly', async () => {
    const page = await manager.newPage();
    await page.setViewportSize(VIEWPORTS[1]!);
    try {
      const res = await page.goto(`${rig.baseUrl}/vat/rtd?year=${lastComplete.year}`);
      expect(res?.status()).toBe(200);
      expect(await page.locator('[data-testid=rtd-period]').count()).toBe(6);
      expect(await page.textContent('[data-testid=rtd-purchases-vat]')).toBe('€69.00');
      expect(await rows(page, 'rtd-sales-rate')).toContain('23% €45.53 €10.47');
      expect(await axeProblems(page, page.url())).toEqual([]);
      await page.screenshot({ path: join(ARTIFACTS, 'vat-rtd-390x844.png'), fullPage: true });
    } finally {
      await page.close();
    }
  });

  it('refuses a bartender', async () => {
    const email = `vat-bartender-${Date.now()}@example.ie`;
    const created = await manager.request.post(`${rig.baseUrl}/api/v1/staff`, {
      headers: csrf,
      data: { name: 'Bartender', email, role: 'bartender', password: 'initial password for vat' },
    });
    expect(created.status()).toBeLessThan(300);
    const bartender = await rig.browser.newContext();
    try {
      const login = (await ok(await bartender.request.post(`${rig.baseUrl}/api/v1/login`, { data: { email, password: 'initial password for vat' } }), 'login')) as {
        csrfToken: string;
      };
      await ok(
        await bartender.request.post(`${rig.baseUrl}/api/v1/password`, {
          headers: { 'x-csrf-token': login.csrfToken },
          data: { currentPassword: 'initial password for vat', newPassword: 'changed password for vat' },
        }),
        'password',
      );
      for (const url of ['/vat', '/vat/rtd', `/vat/workings.csv?period=${LAST}`]) {
        expect((await bartender.request.get(`${rig.baseUrl}${url}`)).status()).toBe(403);
      }
    } finally {
      await bartender.close();
    }
  });
});
