/**
 * The e-invoice import in Debian's Chromium (issue 18), on a tablet
 * (1024×768) and a phone (390×844): a hostile file picked on the deliveries
 * page is refused beside the picker, the keg-and-case invoice is imported,
 * two of its lines are mapped on the draft page, the third left out, and
 * the delivery confirmed. Nothing scrolls sideways and axe-core finds no
 * serious or critical violation on any page; the delivery and the remembered
 * mappings are checked in the database; screenshots land in test-artifacts/.
 */
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { APIResponse, Page } from 'playwright-core';
import { SIZES, pageProblems, startBrowserRig, type BrowserRig, type Size } from '../../../../helpers/browser.js';
import { newAccount } from '../../../../helpers/venue.js';

const fixture = (name: string) => fileURLToPath(new URL(`../../../../fixtures/ubl/${name}`, import.meta.url));

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

/** The page as it is now, one line a problem; its full-page screenshot is invoice-<name>-<width>x<height>.png. */
const check = (page: Page, name: string, size: Size): Promise<string[]> => pageProblems(page, `invoice-${name}-${size.width}x${size.height}`, `${name} ${size.name}`);

const product = (name: string, category: string, unitMl: number, servingMl: number) => ({
  name, category, abv: 4.2, vatClass: 'standard', unitMl, unitCostCents: 100, parUnits: 0,
  servings: [{ name: 'Serving', ml: servingMl, priceCents: 560 }],
});

describe('importing an e-invoice in Chromium', () => {
  for (const size of SIZES) {
    it(`refuses a web page, imports the invoice, maps two lines, leaves one out and confirms at ${size.width}×${size.height}`, async () => {
      const context = await rig.browser.newContext({ viewport: { width: size.width, height: size.height }, bypassCSP: true });
      try {
        const registered = await ok<{ csrfToken: string }>(await context.request.post(`${rig.baseUrl}/api/v1/register`, { data: newAccount(`invoice-browser-${size.name}`) }), 'register');
        const headers = { 'x-csrf-token': registered.csrfToken };
        const stout = await ok<{ id: string }>(await context.request.post(`${rig.baseUrl}/api/v1/products`, { headers, data: product('Harbour Stout', 'draught', 50_000, 568) }), 'stout');
        const lager = await ok<{ id: string }>(await context.request.post(`${rig.baseUrl}/api/v1/products`, { headers, data: product('Harbour Lager bottle', 'bottle', 330, 330) }), 'lager');

        const found: string[] = [];
        const page = await context.newPage();
        await page.goto(`${rig.baseUrl}/deliveries`);
        found.push(...(await check(page, 'list', size)));

        // A web page picked by mistake: refused beside the picker, nothing stored.
        await page.setInputFiles('#document', fixture('html-page.html'));
        await Promise.all([page.waitForURL(`${rig.baseUrl}/deliveries/invoices`), page.click('[data-testid=import-invoice]')]);
        await expect(page.textContent('[data-testid=document-error]')).resolves.toMatch(/not well-formed XML/);
        found.push(...(await check(page, 'refused', size)));

        await page.setInputFiles('#document', fixture('keg-and-case-invoice.xml'));
        await Promise.all([page.waitForURL(/\/deliveries\/invoices\/[0-9a-f-]{36}$/), page.click('[data-testid=import-invoice]')]);
        const draftUrl = page.url();
        await expect(page.textContent('[data-testid=draft-supplier]')).resolves.toMatch(/Liffey Valley Drinks Ltd.*New supplier/s);
        await expect(page.locator('[data-testid=draft-line]').count()).resolves.toBe(3);
        await expect(page.locator('[data-testid=map-line]').count()).resolves.toBe(3);
        found.push(...(await check(page, 'draft', size)));

        // The keg: 1 stock unit per item; the case: 24 bottles. Each is remembered for the (now created) supplier.
        await page.selectOption('#map-1-product', stout.id);
        await Promise.all([page.waitForURL(/mapped=1/), page.click('#line-1 [data-testid=map-submit]')]);
        await page.selectOption('#map-2-product', lager.id);
        await page.fill('#map-2-units', '24');
        await Promise.all([page.waitForURL(/mapped=1/), page.click('#line-2 [data-testid=map-submit]')]);
        await expect(page.textContent('#line-2 [data-testid=line-product]')).resolves.toMatch(/Harbour Lager bottle × 24 = 72 stock units at €1\.20/);
        found.push(...(await check(page, 'mapped', size)));

        // Confirming with line 3 unmapped is refused, naming it; leaving it out confirms.
        await Promise.all([page.waitForURL(`${draftUrl}/confirm`), page.click('[data-testid=confirm-invoice]')]);
        await expect(page.textContent('[data-testid=form-error]')).resolves.toMatch(/Line 3 is not mapped/);
        await page.check('input[name="drop.3"]');
        await Promise.all([page.waitForURL(/\/deliveries\/[0-9a-f-]{36}\?saved=1$/), page.click('[data-testid=confirm-invoice]')]);
        await expect(page.textContent('[data-testid=delivery-net]')).resolves.toBe('€391.40');
        found.push(...(await check(page, 'confirmed', size)));

        const deliveryId = /\/deliveries\/([0-9a-f-]{36})/.exec(page.url())![1]!;
        const primary = await rig.worker.db.primary();
        const { rows } = await primary.query<{ product_id: string; quantity: string; unit_cost_cents: number; net_cents: string }>(
          'SELECT product_id, quantity::text, unit_cost_cents, net_cents::text FROM delivery_lines WHERE delivery_id = $1 ORDER BY position',
          [deliveryId],
        );
        expect(rows).toEqual([
          { product_id: stout.id, quantity: '2.000', unit_cost_cents: 15_250, net_cents: '30500' },
          { product_id: lager.id, quantity: '72.000', unit_cost_cents: 120, net_cents: '8640' },
        ]);
        const mappings = await primary.query<{ n: number }>(
          'SELECT count(*)::int AS n FROM supplier_item_mappings m JOIN deliveries d ON d.supplier_id = m.supplier_id WHERE d.id = $1',
          [deliveryId],
        );
        expect(mappings.rows[0]?.n).toBe(2);
        expect(found).toEqual([]);
      } finally {
        await context.close();
      }
    });
  }
});
