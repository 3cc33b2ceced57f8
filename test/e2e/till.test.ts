/**
 * A night at the till in a real (headless) Chromium on a tablet-sized screen:
 * a manager registers, sets up the catalogue through its pages, opens a tab,
 * rings up several drinks by tapping their buttons, pays split cash/card and
 * reads the totals off the screen.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Browser, Page } from 'playwright-core';
import { newAccount } from '../helpers/venue.js';
import { ARTIFACTS, startBrowserRig, type BrowserRig } from '../helpers/browser.js';
import { settled } from '../helpers/till-venue.js';

let rig: BrowserRig;
let browser: Browser;
let baseUrl: string;

beforeAll(async () => {
  rig = await startBrowserRig();
  ({ browser, baseUrl } = rig);
});

afterAll(async () => {
  await rig?.close();
});

interface ProductForm {
  name: string;
  category: string;
  abv: string;
  unitMl: string;
  unitCost: string;
  servings: { name: string; ml: string; price: string }[];
}

async function addProduct(page: Page, product: ProductForm): Promise<void> {
  await page.goto(`${baseUrl}/catalogue/new`);
  await page.fill('#name', product.name);
  await page.selectOption('#category', product.category);
  await page.fill('#abv', product.abv);
  await page.fill('#unitMl', product.unitMl);
  await page.fill('#unitCost', product.unitCost);
  for (const [i, serving] of product.servings.entries()) {
    await page.fill(`[name="servings.${i}.name"]`, serving.name);
    await page.fill(`[name="servings.${i}.ml"]`, serving.ml);
    await page.fill(`[name="servings.${i}.price"]`, serving.price);
  }
  await page.click('[data-testid=submit]');
  await page.waitForURL(/\/catalogue\?saved=[0-9a-f-]{36}#product-/);
}

/** One tap on a serving button; the order panel comes back, in place, with the drink on the tab. */
async function tap(page: Page, serving: string): Promise<void> {
  const answered = page.waitForResponse((r) => new URL(r.url()).pathname === '/till/ring');
  await page.click(`button[data-serving="${serving}"]`);
  await answered;
  await settled(page);
}

/** A tap on a category: its products replace the others, in place. */
async function category(page: Page, label: string): Promise<void> {
  const answered = page.waitForResponse((r) => new URL(r.url()).pathname === '/till/products');
  await page.click(`[data-testid=category] >> text=${label}`);
  await answered;
  await settled(page);
}

describe('the till in the browser', () => {
  it('rings up a tab of several drinks by tapping, pays it split cash/card, and shows the total', async () => {
    const account = newAccount('till-e2e');
    const page = await browser.newPage({ viewport: { width: 1180, height: 820 } });
    try {
      await page.goto(`${baseUrl}/register`);
      await page.fill('#venueName', account.venueName);
      await page.fill('#name', account.name);
      await page.fill('#email', account.email);
      await page.fill('#password', account.password);
      await page.click('[data-testid=submit]');
      await page.waitForURL(`${baseUrl}/`);

      // A price below the minimum unit price is refused beside that serving's price.
      await page.goto(`${baseUrl}/catalogue/new`);
      await page.fill('#name', 'Cheap Lager');
      await page.fill('#abv', '4.3');
      await page.fill('#unitMl', '50000');
      await page.fill('#unitCost', '100');
      await page.fill('[name="servings.0.name"]', 'Pint');
      await page.fill('[name="servings.0.ml"]', '568');
      await page.fill('[name="servings.0.price"]', '1.50');
      await page.click('[data-testid=submit]');
      await expect(page.textContent('[data-testid="servings.0.price-error"]')).resolves.toContain('€1.93');
      await page.screenshot({ path: join(ARTIFACTS, 'product-form-minimum-price.png'), fullPage: true });

      await addProduct(page, {
        name: 'Harbour Lager',
        category: 'draught',
        abv: '4.3',
        unitMl: '50000',
        unitCost: '120.00',
        servings: [
          { name: 'Pint', ml: '568', price: '6.10' },
          { name: 'Half', ml: '284', price: '3.20' },
        ],
      });
      await addProduct(page, {
        name: 'Kilbeggan',
        category: 'spirit',
        abv: '40',
        unitMl: '700',
        unitCost: '22.00',
        servings: [{ name: 'Measure', ml: '35.5', price: '5.50' }],
      });
      await addProduct(page, {
        name: 'Cola',
        category: 'soft',
        abv: '0',
        unitMl: '',
        unitCost: '0.60',
        servings: [{ name: 'Bottle', ml: '', price: '3.00' }],
      });

      await page.goto(`${baseUrl}/till`);
      await expect(page.textContent('[data-testid=order-empty]')).resolves.toContain('Tap a drink to start a quick sale, or choose a tab.');
      await page.click('[data-testid=new-tab]');
      await page.fill('#name', 'Table 5');
      await page.click('[data-testid=open-tab]');
      await page.waitForURL(/\/till\?tab=[0-9a-f-]{36}$/);
      await expect(page.textContent('[data-testid=order-name]')).resolves.toBe('Table 5');

      await tap(page, 'Harbour Lager · Pint');
      await tap(page, 'Harbour Lager · Pint');
      await tap(page, 'Harbour Lager · Half');
      // The products come a category at a time.
      await category(page, 'Spirits');
      await tap(page, 'Kilbeggan · Measure');
      await category(page, 'Soft drinks');
      await tap(page, 'Cola · Bottle');
      // 2 × 6.10 + 3.20 + 5.50 + 3.00
      await expect(page.textContent('[data-testid=order-total]')).resolves.toBe('€23.90');
      await expect(page.textContent('[data-testid=pay-cash]')).resolves.toContain('€23.90');
      await page.screenshot({ path: join(ARTIFACTS, 'till-tab.png'), fullPage: true });

      // Amounts that do not add up are refused, and nothing is charged.
      await page.click('[data-testid=split-open]');
      await page.fill('#cashAmount', '20.00');
      await page.fill('#cardAmount', '3.00');
      await page.click('[data-testid=pay-split]');
      await expect(page.textContent('[data-testid=alert]')).resolves.toContain('must match exactly');
      await expect(page.textContent('[data-testid=order-total]')).resolves.toBe('€23.90');

      await page.fill('#cashAmount', '20.00');
      await page.fill('#cardAmount', '3.90');
      await page.click('[data-testid=pay-split]');
      await page.waitForURL(/\/till\?sale=[0-9a-f-]{36}$/);
      await expect(page.textContent('[data-testid=paid-total]')).resolves.toBe('€23.90');
      await expect(page.textContent('[data-testid=paid]')).resolves.toContain('€20.00 cash, €3.90 card');
      expect(await page.locator('[data-testid=tab-link]').count()).toBe(0);
      await page.screenshot({ path: join(ARTIFACTS, 'till-paid.png'), fullPage: true });

      const saleId = new URL(page.url()).searchParams.get('sale');
      const primary = await rig.worker.db.primary();
      const { rows } = await primary.query<{ method: string; amount_cents: number }>(
        'SELECT method, amount_cents FROM payments WHERE tab_id = $1 ORDER BY method',
        [saleId],
      );
      expect(rows).toEqual([
        { method: 'card', amount_cents: 390 },
        { method: 'cash', amount_cents: 2000 },
      ]);

      // The catalogue changes are in the audit trail, in the venue's time zone.
      await page.goto(`${baseUrl}/audit`);
      expect(await page.locator('[data-testid=audit-row]').count()).toBeGreaterThanOrEqual(3);
      await page.screenshot({ path: join(ARTIFACTS, 'audit.png'), fullPage: true });

      const bartender = newAccount('till-e2e-bartender');
      await page.goto(`${baseUrl}/staff`);
      await page.fill('#name', bartender.name);
      await page.fill('#email', bartender.email);
      await page.fill('#password', bartender.password);
      await page.click('[data-testid=submit]');
      await page.waitForURL(/\/staff\?created=/);
      expect(await page.locator('[data-testid=staff-row]').count()).toBe(2);
      await page.screenshot({ path: join(ARTIFACTS, 'staff.png'), fullPage: true });
    } finally {
      await page.close();
    }
  });
});
