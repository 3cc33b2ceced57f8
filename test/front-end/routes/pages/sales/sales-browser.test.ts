/**
 * The sales pages in Debian's Chromium, on a tablet (1024×768) and a phone
 * (390×844): the business day's sales, one sale opened from the list, one of
 * its lines refunded by card with a reason. On each page nothing scrolls
 * sideways and axe-core finds no serious or critical violation; the refund
 * is checked in the database; screenshots land in test-artifacts/.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { APIResponse, Page } from 'playwright-core';
import { SIZES, pageProblems, startBrowserRig, type BrowserRig, type Size } from '../../../../helpers/browser.js';
import { newAccount } from '../../../../helpers/venue.js';

let rig: BrowserRig;

beforeAll(async () => {
  rig = await startBrowserRig();
}, 120_000);
afterAll(async () => {
  await rig?.close();
});

async function ok<T>(response: APIResponse, what: string): Promise<T> {
  if (response.status() >= 300) throw new Error(`${what} failed: ${response.status()} ${await response.text()}`);
  return (await response.json()) as T;
}

/** The page as it is now, one line a problem; its full-page screenshot is sales-<name>-<width>x<height>.png. */
const check = (page: Page, name: string, size: Size): Promise<string[]> => pageProblems(page, `sales-${name}-${size.width}x${size.height}`, `${name} ${size.name}`);

describe('the sales pages in Chromium', () => {
  for (const size of SIZES) {
    it(`list the day, open a sale and refund a line at ${size.width}×${size.height}`, async () => {
      // bypassCSP: axe is injected past the pages' CSP, in the test's context only.
      const context = await rig.browser.newContext({ viewport: { width: size.width, height: size.height }, bypassCSP: true });
      try {
        const registered = await ok<{ csrfToken: string }>(await context.request.post(`${rig.baseUrl}/api/v1/register`, { data: newAccount(`sales-browser-${size.name}`) }), 'register');
        const headers = { 'x-csrf-token': registered.csrfToken };
        const product = await ok<{ id: string; name: string; servings: { id: string; name: string }[] }>(
          await context.request.post(`${rig.baseUrl}/api/v1/products`, {
            headers,
            data: {
              name: 'Harbour Stout',
              category: 'draught',
              abv: 4.2,
              vatClass: 'standard',
              unitMl: 50_000,
              unitCostCents: 15_000,
              parUnits: 0,
              servings: [
                { name: 'Pint', ml: 568, priceCents: 560 },
                { name: 'Half', ml: 284, priceCents: 300 },
              ],
            },
          }),
          'create product',
        );
        const serving = (name: string) => product.servings.find((s) => s.name === name)!.id;
        const sale = await ok<{ id: string; lines: { id: string; servingName: string }[] }>(
          await context.request.post(`${rig.baseUrl}/api/v1/sales`, {
            headers,
            data: {
              name: 'Table 4',
              lines: [
                { servingId: serving('Pint'), quantity: 2 },
                { servingId: serving('Half'), quantity: 1 },
              ],
              payments: [{ method: 'cash', amountCents: 1420 }],
            },
          }),
          'ring a sale',
        );
        const half = sale.lines.find((l) => l.servingName === 'Half')!;

        const found: string[] = [];
        const page = await context.newPage();
        await page.goto(`${rig.baseUrl}/sales`);
        await expect(page.locator('[data-testid=sale]').count()).resolves.toBe(1);
        await expect(page.textContent('[data-testid=total-gross]')).resolves.toBe('€14.20');
        found.push(...(await check(page, 'day', size)));

        await Promise.all([page.waitForURL(`${rig.baseUrl}/sales/${sale.id}`), page.click('[data-testid=open-sale]')]);
        await expect(page.inputValue('#method')).resolves.toBe('cash');
        found.push(...(await check(page, 'sale', size)));

        // Sent without a reason first: the message beside the field, the choices kept.
        await page.check('[data-testid=scope-lines] input');
        await page.check(`input[name=lineIds][value="${half.id}"]`);
        await page.selectOption('#method', 'card');
        await page.click('[data-testid=refund-submit]');
        await page.waitForSelector('[data-testid=reason-error]');
        await expect(page.isChecked(`input[name=lineIds][value="${half.id}"]`)).resolves.toBe(true);
        await expect(page.inputValue('#method')).resolves.toBe('card');
        found.push(...(await check(page, 'refund-error', size)));

        await page.fill('#reason', 'Poured the wrong one');
        await Promise.all([page.waitForURL(/\/sales\/[0-9a-f-]{36}\?refunded=/), page.click('[data-testid=refund-submit]')]);
        await expect(page.textContent('[data-testid=sale-refund]')).resolves.toMatch(/^-€3\.00 by Card, .*: Poured the wrong one/);
        await expect(page.locator('[data-testid=refund-line]').count()).resolves.toBe(1);
        found.push(...(await check(page, 'refunded', size)));

        const primary = await rig.worker.db.primary();
        const { rows } = await primary.query<{ method: string; gross_cents: number; lines: string[] }>(
          `SELECT r.method, r.gross_cents, array_agg(rl.tab_line_id::text) AS lines
             FROM refunds r JOIN refund_lines rl ON rl.refund_id = r.id WHERE r.sale_id = $1 GROUP BY r.id`,
          [sale.id],
        );
        expect(rows).toEqual([{ method: 'card', gross_cents: -300, lines: [half.id] }]);
        expect(found).toEqual([]);
      } finally {
        await context.close();
      }
    });
  }
});
