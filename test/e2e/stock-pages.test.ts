/**
 * The stock pages in Debian's Chromium, on a tablet (1024×768) and a phone
 * (390×844), for the pub's 60-product catalogue: the delivery entry form
 * (blank, with its mistakes marked, "Add line" without script, saved to its
 * page), the deliveries list, the till's wastage page (one tap writes a pint
 * off) and the manager's wastage list. On each: nothing scrolls sideways and
 * axe-core finds no serious or critical violation; screenshots land in
 * test-artifacts/. The till's strip keeps its Wastage button on screen and
 * big enough to tap.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { BrowserContext, Page } from 'playwright-core';
import { ARTIFACTS, SIZES, pageProblems, sideways, startBrowserRig, type BrowserRig, type Size } from '../helpers/browser.js';
import { seedTillVenue, type TillVenue } from '../helpers/till-venue.js';

let rig: BrowserRig;
let context: BrowserContext;
let bar: TillVenue;

beforeAll(async () => {
  rig = await startBrowserRig();
  // The pages' CSP allows only their own scripts: axe is injected past it, in the test's context only.
  context = await rig.browser.newContext({ bypassCSP: true });
  bar = await seedTillVenue(context, rig.baseUrl, { tabCount: 2, label: 'stock-pages' });
}, 180_000);
afterAll(async () => {
  await context?.close();
  await rig?.close();
});

/** Checks the page as it is now and keeps a full-page screenshot of it, stock-<name>-<width>x<height>.png. */
const check = (page: Page, name: string, size: Size): Promise<string[]> => pageProblems(page, `stock-${name}-${size.width}x${size.height}`, `${name} ${size.name}`);

describe('stock pages in Chromium', () => {
  for (const size of SIZES) {
    it(`enter a delivery, list it, write off a pint and list the wastage at ${size.width}×${size.height}`, async () => {
      const found: string[] = [];
      const page = await context.newPage();
      await page.setViewportSize({ width: size.width, height: size.height });
      try {
        await page.goto(`${rig.baseUrl}/deliveries/new`);
        await expect(page.locator('[data-testid=delivery-line]').count()).resolves.toBe(3);
        found.push(...(await check(page, 'delivery-form', size)));

        // Saved with nothing in it: every mistake marked beside its field.
        await page.fill('#invoiceDate', '');
        await page.click('[data-testid=submit]');
        await page.waitForSelector('[data-testid=error-summary]');
        await expect(page.textContent('[data-testid="supplierId-error"]')).resolves.toContain('Choose the supplier');
        await expect(page.textContent('[data-testid="lines.0.productId-error"]')).resolves.toContain('Add at least one line');
        found.push(...(await check(page, 'delivery-form-errors', size)));

        const invoice = `INV-${size.name}-${Date.now()}`;
        await page.fill('#newSupplier', `Diageo Ireland ${size.name}`);
        await page.fill('#invoiceNumber', invoice);
        await page.fill('#invoiceDate', '2026-03-06');
        await page.selectOption('[id="lines.0.productId"]', { label: 'Guinness' });
        await page.fill('[id="lines.0.quantity"]', '2');
        await page.fill('[id="lines.0.unitCost"]', '150.00');
        // "Add line" is a plain form post: the same form back, one more line, scrolled to it.
        await page.click('[data-testid=add-line]');
        await page.waitForURL(/\/deliveries\/new#line-4$/);
        await expect(page.locator('[data-testid=delivery-line]').count()).resolves.toBe(4);
        await expect(page.inputValue('#invoiceNumber')).resolves.toBe(invoice);
        const line4 = await page.locator('#line-4').boundingBox();
        expect(line4 && line4.y >= 0 && line4.y < size.height).toBe(true);
        await page.selectOption('[id="lines.3.productId"]', { label: 'Tayto Crisps' });
        await page.fill('[id="lines.3.quantity"]', '1.5');
        await page.fill('[id="lines.3.unitCost"]', '18.40');
        await page.fill('[id="lines.3.vatRate"]', '23');
        found.push(...(await check(page, 'delivery-form-filled', size)));
        await page.click('[data-testid=submit]');
        await page.waitForURL(/\/deliveries\/[0-9a-f-]{36}\?saved=1$/);
        await expect(page.textContent('h1')).resolves.toContain(`Invoice ${invoice}`);
        // 2 × €150.00 + 1.5 × €18.40 = €327.60 net; VAT 23% €69.00 + €6.35 (634.8 → 635c).
        await expect(page.textContent('[data-testid=delivery-net]')).resolves.toBe('€327.60');
        await expect(page.textContent('[data-testid=delivery-vat]')).resolves.toBe('€75.35');
        found.push(...(await check(page, 'delivery-view', size)));

        // The same invoice again: the 409 beside the invoice number.
        await page.goto(`${rig.baseUrl}/deliveries/new`);
        await page.fill('#newSupplier', `Diageo Ireland ${size.name}`);
        await page.fill('#invoiceNumber', invoice);
        await page.selectOption('[id="lines.0.productId"]', { label: 'Guinness' });
        await page.fill('[id="lines.0.quantity"]', '1');
        await page.fill('[id="lines.0.unitCost"]', '150');
        await page.press('[id="lines.0.unitCost"]', 'Enter');
        await page.waitForSelector('[data-testid=invoiceNumber-error]');
        await expect(page.textContent('[data-testid=invoiceNumber-error]')).resolves.toContain('is already recorded');
        found.push(...(await check(page, 'delivery-form-duplicate', size)));

        await page.goto(`${rig.baseUrl}/deliveries`);
        await expect(page.locator('[data-testid=delivery-row]').count()).resolves.toBeGreaterThanOrEqual(1);
        found.push(...(await check(page, 'deliveries', size)));

        // From the till's strip to the wastage page: one tap writes off a pint of Guinness.
        await page.goto(`${rig.baseUrl}/till`);
        const link = await page.locator('[data-testid=record-wastage]').boundingBox();
        expect(link).not.toBeNull();
        expect({ right: Math.round(link!.x + link!.width) <= size.width, wide: link!.width >= 44, tall: link!.height >= 44 }).toEqual({ right: true, wide: true, tall: true });
        await page.screenshot({ path: join(ARTIFACTS, `stock-till-strip-${size.width}x${size.height}.png`) });
        found.push(...(await sideways(page, `till ${size.name}`)));
        await page.click('[data-testid=record-wastage]');
        await page.waitForURL(/\/wastage\/record$/);
        found.push(...(await check(page, 'wastage-record', size)));
        // Line cleaning chosen first, then one tap on a pint of Guinness.
        await page.click('label.reason-chip:has(input[value=line_cleaning])');
        const pint = bar.serving('Guinness', 'Pint');
        await page.locator(`button[name=tap][value*=":${pint}:"]`).click();
        await page.waitForURL(new RegExp(`/wastage/record\\?done=${pint}&reason=line_cleaning$`));
        await expect(page.textContent('[data-testid=wastage-done]')).resolves.toBe('Written off: Guinness, pint (line cleaning).');
        await page.screenshot({ path: join(ARTIFACTS, `stock-wastage-record-done-${size.width}x${size.height}.png`) });

        await page.goto(`${rig.baseUrl}/wastage`);
        await expect(page.locator('[data-testid=wastage-row]').count()).resolves.toBeGreaterThanOrEqual(1);
        await expect(page.textContent('[data-testid=wastage-list]')).resolves.toMatch(/Guinness[\s\S]*Line cleaning/);
        found.push(...(await check(page, 'wastage', size)));
      } finally {
        await page.close();
      }
      expect(found).toEqual([]);
    }, 120_000);
  }
});
