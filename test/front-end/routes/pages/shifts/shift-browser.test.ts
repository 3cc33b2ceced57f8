/**
 * The cash-up in Debian's Chromium, on a tablet (1024×768) and a phone
 * (390×844): a shift started with a float, a sale rung, the X read with no
 * expected cash on it, the drawer counted blind and short beyond the limit,
 * so only then the expected cash and the difference appear with the note
 * asked for, and the Z printed. On each page nothing scrolls sideways and
 * axe-core finds no serious or critical violation; screenshots land in
 * test-artifacts/.
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

/** The page as it is now, one line a problem; its full-page screenshot is cash-up-<name>-<width>x<height>.png. */
const check = (page: Page, name: string, size: Size): Promise<string[]> => pageProblems(page, `cash-up-${name}-${size.width}x${size.height}`, `${name} ${size.name}`);

describe('the cash-up in Chromium', () => {
  for (const size of SIZES) {
    it(`starts a shift and closes it with a blind count at ${size.width}×${size.height}`, async () => {
      // bypassCSP: axe is injected past the pages' CSP, in the test's context only.
      const context = await rig.browser.newContext({ viewport: { width: size.width, height: size.height }, bypassCSP: true });
      try {
        const registered = await ok<{ csrfToken: string }>(await context.request.post(`${rig.baseUrl}/api/v1/register`, { data: newAccount(`cash-up-${size.name}`) }), 'register');
        const headers = { 'x-csrf-token': registered.csrfToken };
        const product = await ok<{ servings: { id: string }[] }>(
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
              servings: [{ name: 'Pint', ml: 568, priceCents: 560 }],
            },
          }),
          'create product',
        );
        const found: string[] = [];
        const page = await context.newPage();
        await page.goto(`${rig.baseUrl}/shift`);
        found.push(...(await check(page, 'start', size)));
        await page.fill('#float', '100.00');
        await Promise.all([page.waitForURL(`${rig.baseUrl}/shift`), page.click('[data-testid=start-shift]')]);

        await ok(
          await context.request.post(`${rig.baseUrl}/api/v1/sales`, {
            headers,
            data: { lines: [{ servingId: product.servings[0]!.id, quantity: 2 }], payments: [{ method: 'cash', amountCents: 1120 }] },
          }),
          'ring a sale',
        );
        await page.reload();
        await expect(page.textContent('[data-testid=gross]')).resolves.toBe('€11.20');
        // Blind: nothing on the page says what the drawer should hold.
        await expect(page.locator('[data-testid=expected]').count()).resolves.toBe(0);
        found.push(...(await check(page, 'x', size)));

        // Expected €111.20; counted €100.00 is short €11.20, beyond €5.00.
        await page.fill('#counted', '100');
        await page.click('[data-testid=close-shift]');
        await page.waitForSelector('[data-testid=note-needed]');
        await expect(page.textContent('[data-testid=expected]')).resolves.toBe('€111.20');
        await expect(page.textContent('[data-testid=over-short]')).resolves.toBe('-€11.20');
        found.push(...(await check(page, 'note', size)));

        await page.fill('#note', 'Two pints given away by mistake');
        await Promise.all([page.waitForURL(/\/shift\/z\/[0-9a-f-]{36}$/), page.click('[data-testid=close-with-note]')]);
        await expect(page.textContent('[data-testid=z-number]')).resolves.toBe('Z 1');
        await expect(page.textContent('[data-testid=z-note]')).resolves.toContain('Two pints given away by mistake');
        found.push(...(await check(page, 'z-a4', size)));
        await Promise.all([page.waitForURL(/paper=receipt$/), page.click('[data-testid=paper-receipt]')]);
        found.push(...(await check(page, 'z-receipt', size)));
        // Printed, the navigation goes and the figures stay.
        await page.emulateMedia({ media: 'print' });
        await expect(page.isVisible('header.topbar')).resolves.toBe(false);
        await expect(page.isVisible('[data-testid=over-short]')).resolves.toBe(true);
        expect(found).toEqual([]);
      } finally {
        await context.close();
      }
    });
  }
});
