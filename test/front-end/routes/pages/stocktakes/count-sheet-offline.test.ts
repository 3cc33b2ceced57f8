/**
 * The count sheet on a flaky cellar connection (public/count-sheet.js), in
 * Debian's Chromium at a tablet's 1024×768 and a phone's 390×844: counts
 * saved while offline wait on the tablet (said in the status line, marked on
 * their rows, kept in localStorage) and are sent when the connection comes
 * back, each recorded once; a count whose reply is lost (the request reached
 * the server, the answer never came back) is sent again with the same key
 * when the page is opened again and applies once; a refusal is shown beside
 * its row and not retried. Checked in the database, with axe on the way.
 */
import { join } from 'node:path';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { APIResponse, BrowserContext, Page } from 'playwright-core';
import { ARTIFACTS, SIZES, axeProblems, sidewaysOverflow, startBrowserRig, type BrowserRig } from '../../../../helpers/browser.js';
import { eventsOfType } from '../../../../helpers/events.js';
import { newAccount } from '../../../../helpers/venue.js';

let rig: BrowserRig;
let primary: pg.Pool;

beforeAll(async () => {
  rig = await startBrowserRig();
  primary = await rig.worker.db.primary();
}, 120_000);
afterAll(async () => {
  await rig?.close();
});

interface Sheet {
  context: BrowserContext;
  page: Page;
  venueId: string;
  stocktakeId: string;
  products: Record<'stout' | 'lager' | 'cider', { id: string; name: string }>;
}

async function ok(response: APIResponse, what: string): Promise<unknown> {
  if (response.status() >= 300) throw new Error(`${what} failed: ${response.status()} ${await response.text()}`);
  return response.json();
}

/** A new venue signed in on a new context, three draught products (two in the cellar), and the count sheet of a new stocktake. */
async function openSheet(viewport: { width: number; height: number }, label: string): Promise<Sheet> {
  // bypassCSP: axe is injected past the pages' CSP, in the test's context only.
  const context = await rig.browser.newContext({ viewport, bypassCSP: true });
  const registered = (await ok(await context.request.post(`${rig.baseUrl}/api/v1/register`, { data: newAccount(label) }), 'register')) as {
    csrfToken: string;
    venue: { id: string };
  };
  const headers = { 'x-csrf-token': registered.csrfToken };
  const product = async (name: string, location: string | null) =>
    (await ok(
      await context.request.post(`${rig.baseUrl}/api/v1/products`, {
        headers,
        data: {
          name,
          category: 'draught',
          abv: 4.3,
          vatClass: 'standard',
          unitMl: 50_000,
          unitCostCents: 15_000,
          parUnits: 0,
          ...(location ? { location } : {}),
          servings: [{ name: 'Pint', ml: 568, priceCents: 560 }],
        },
      }),
      'create product',
    )) as { id: string; name: string };
  const products = { stout: await product('Stout', 'Cellar'), lager: await product('Lager', 'Cellar'), cider: await product('Cider', null) };
  const page = await context.newPage();
  await page.goto(`${rig.baseUrl}/stocktakes`);
  await Promise.all([page.waitForURL(/\/stocktakes\/[0-9a-f-]{36}$/), page.click('[data-testid=start-stocktake] button')]);
  const stocktakeId = page.url().split('/').at(-1)!;
  return { context, page, venueId: registered.venue.id, stocktakeId, products };
}

async function countRows(stocktakeId: string): Promise<Record<string, { full: number; tenths: number }>> {
  const { rows } = await primary.query<{ product_id: string; full_units: number; partial_tenths: number }>(
    'SELECT product_id, full_units, partial_tenths FROM stocktake_counts WHERE stocktake_id = $1',
    [stocktakeId],
  );
  return Object.fromEntries(rows.map((r) => [r.product_id, { full: r.full_units, tenths: r.partial_tenths }]));
}

/** How many times each product's count was applied: its stocktake.counted events. */
async function applications(sheet: Sheet, productId: string): Promise<number> {
  const events = await eventsOfType(primary, sheet.venueId, 'stocktake.counted');
  return events.filter((e) => e.aggregateId === sheet.stocktakeId && (e.data as { productId: string }).productId === productId).length;
}

async function count(page: Page, productId: string, full: string, tenths?: string) {
  const row = page.locator(`#p-${productId}`);
  await row.locator('input[name=fullUnits]').fill(full);
  if (tenths) await row.locator('select[name=partialTenths]').selectOption(tenths);
  await row.locator('button[type=submit]').click();
}

const queued = (page: Page, stocktakeId: string) => page.evaluate<number>(`Object.keys(JSON.parse(localStorage.getItem('barback.stocktake.${stocktakeId}.queue') || '{}')).length`);

describe.each(SIZES.map(({ name, width, height }) => ({ name, viewport: { width, height } })))('the count sheet offline on a $name', ({ name, viewport }) => {
  it('keeps two counts on the tablet while offline and sends each once when the connection is back', async () => {
    const sheet = await openSheet(viewport, `count-offline-${name}`);
    const { page, products } = sheet;
    try {
      // By location: the cellar's two, then the one with no place.
      expect(await page.locator('[data-testid=count-place]').allTextContents()).toEqual(['Cellar', 'No location']);

      await sheet.context.setOffline(true);
      await count(page, products.stout.id, '2', '3');
      await count(page, products.lager.id, '1');
      const status = page.locator('[data-testid=sync-status]');
      await page.waitForFunction(`document.querySelector('[data-testid=sync-status]').textContent.startsWith('2 counts saved on this tablet')`);
      expect(await status.textContent()).toBe('2 counts saved on this tablet, sending when the connection is back.');
      expect(await page.locator(`#p-${products.stout.id} [data-testid=pending]`).textContent()).toBe('Saved on this tablet');
      expect(await page.locator(`#p-${products.lager.id} [data-testid=pending]`).count()).toBe(1);
      expect(await page.textContent('[data-testid=progress]')).toBe('0 of 3 counted');
      expect(await queued(page, sheet.stocktakeId)).toBe(2);
      expect(await countRows(sheet.stocktakeId)).toEqual({});
      expect(await sidewaysOverflow(page)).toBe(0);
      expect(await axeProblems(page, page.url())).toEqual([]);
      await page.screenshot({ path: join(ARTIFACTS, `count-sheet-offline-${viewport.width}x${viewport.height}.png`), fullPage: false });

      // Closing now would refuse them on arrival: the sheet says so and does not close.
      await page.click('[data-testid=close-stocktake] button');
      expect(await page.textContent('[data-testid=close-waiting]')).toBe('2 counts are saved on this tablet but not sent yet: close the stocktake once they are.');
      const open = await primary.query<{ closed: boolean }>('SELECT closed_at IS NOT NULL AS closed FROM stocktakes WHERE id = $1', [sheet.stocktakeId]);
      expect(open.rows[0]?.closed).toBe(false);

      // Back online: the browser's online event sends both.
      await sheet.context.setOffline(false);
      await page.waitForFunction(`document.querySelector('[data-testid=sync-status]').textContent === 'All counts sent.'`);
      expect(await page.textContent(`#p-${products.stout.id} [data-testid=counted]`)).toBe('✓ 2.3');
      expect(await page.textContent(`#p-${products.lager.id} [data-testid=counted]`)).toBe('✓ 1');
      expect(await page.locator('[data-testid=pending]').count()).toBe(0);
      expect(await page.locator('[data-testid=close-waiting]').count()).toBe(0);
      expect(await page.textContent('[data-testid=progress]')).toBe('2 of 3 counted');
      expect(await queued(page, sheet.stocktakeId)).toBe(0);
      expect(await countRows(sheet.stocktakeId)).toEqual({ [products.stout.id]: { full: 2, tenths: 3 }, [products.lager.id]: { full: 1, tenths: 0 } });
      expect(await applications(sheet, products.stout.id)).toBe(1);
      expect(await applications(sheet, products.lager.id)).toBe(1);
      expect(await axeProblems(page, page.url())).toEqual([]);

      // The page as the server renders it agrees.
      await page.reload();
      expect(await page.textContent('[data-testid=progress]')).toBe('2 of 3 counted');
      expect(await page.textContent(`#p-${products.stout.id} [data-testid=counted]`)).toBe('✓ 2.3');
    } finally {
      await sheet.context.close();
    }
  });
});

describe('the count sheet on a tablet, when a reply is lost or a count refused', () => {
  it('sends a count whose reply was lost again when the page is opened, and it applies once', async () => {
    const sheet = await openSheet({ width: 1024, height: 768 }, 'count-lost-reply');
    const { page, products } = sheet;
    try {
      // The request reaches the server and is applied; its answer never reaches the page.
      let reached = 0;
      await page.route('**/stocktakes/*/count', async (route) => {
        reached += 1;
        await route.fetch();
        await route.abort('connectionreset');
      });
      await count(page, products.cider.id, '4', '5');
      await page.waitForFunction(`document.querySelector('[data-testid=sync-status]').textContent.startsWith('1 count saved on this tablet')`);
      expect(reached).toBe(1);
      expect(await countRows(sheet.stocktakeId)).toEqual({ [products.cider.id]: { full: 4, tenths: 5 } });
      expect(await applications(sheet, products.cider.id)).toBe(1);
      expect(await page.locator(`#p-${products.cider.id} [data-testid=counted]`).count()).toBe(0);
      expect(await queued(page, sheet.stocktakeId)).toBe(1);

      // The connection is fine again; the tablet is picked up later and the sheet opened again: it sends what it kept.
      await page.unroute('**/stocktakes/*/count');
      await page.reload();
      await page.waitForSelector(`#p-${products.cider.id} [data-testid=counted]`);
      expect(await page.textContent(`#p-${products.cider.id} [data-testid=counted]`)).toBe('✓ 4.5');
      expect(await page.textContent('[data-testid=progress]')).toBe('1 of 3 counted');
      expect(await queued(page, sheet.stocktakeId)).toBe(0);
      // Sent twice with one key: applied once.
      expect(await applications(sheet, products.cider.id)).toBe(1);
      expect(await countRows(sheet.stocktakeId)).toEqual({ [products.cider.id]: { full: 4, tenths: 5 } });

      // A new figure for the same product is a new count: a new key, applied.
      await count(page, products.cider.id, '4', '6');
      await page.waitForFunction(`document.querySelector('#p-${products.cider.id} [data-testid=counted]').textContent === '✓ 4.6'`);
      expect(await applications(sheet, products.cider.id)).toBe(2);
    } finally {
      await sheet.context.close();
    }
  });

  it('shows a refusal beside its row, and does not retry it', async () => {
    const sheet = await openSheet({ width: 1024, height: 768 }, 'count-refused');
    const { page, products } = sheet;
    try {
      // More than the contract's 100 000 full containers: a definite 400 naming fullUnits, in the sheet's words.
      await count(page, products.stout.id, '200000');
      const error = page.locator(`#p-${products.stout.id} [data-testid=count-error]`);
      await error.waitFor();
      expect(await error.textContent()).toBe('Full containers: at most 100000.');
      expect(await page.getAttribute(`#p-${products.stout.id} input[name=fullUnits]`, 'aria-invalid')).toBe('true');
      expect(await page.locator('[data-testid=pending]').count()).toBe(0);
      expect(await queued(page, sheet.stocktakeId)).toBe(0);
      expect(await countRows(sheet.stocktakeId)).toEqual({});
      expect(await axeProblems(page, page.url())).toEqual([]);

      // Corrected: the error goes, the count is recorded.
      await count(page, products.stout.id, '2');
      await page.waitForSelector(`#p-${products.stout.id} [data-testid=counted]`);
      expect(await error.count()).toBe(0);
      expect(await countRows(sheet.stocktakeId)).toEqual({ [products.stout.id]: { full: 2, tenths: 0 } });
    } finally {
      await sheet.context.close();
    }
  });
});
