/**
 * Accessibility in Debian's Chromium, checked by axe-core (node_modules/
 * axe-core/axe.min.js, injected into each page): no serious or critical
 * violation on the till, the catalogue (list and product form, with warnings
 * and with errors), staff, audit and login pages, at 1024×768 and 390×844.
 * A failure lists each violation's rule id, impact, the elements it found and
 * the rule's help text. Also: the manager pages do not scroll sideways on a
 * 390 px phone, and screenshots of them land in test-artifacts/.
 *
 * The venue is a Friday night's: the 60-product pub catalogue in 7
 * categories, 16 open tabs, a void, a refund, a price change, stock below
 * zero, an archived product and a bartender.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { BrowserContext, Page } from 'playwright-core';
import { ARTIFACTS, SIZES, axeProblems, sideways, startBrowserRig, type BrowserRig } from '../helpers/browser.js';
import { seedTillVenue, type TillVenue } from '../helpers/till-venue.js';
import { newStaff, type Product } from '../helpers/venue.js';

let rig: BrowserRig;
let context: BrowserContext;
let bar: TillVenue;
/** A bottled beer whose pint draws more than one 330 ml bottle: its form shows a warning. */
let warned: Product;
let tabId: string;

beforeAll(async () => {
  rig = await startBrowserRig();
  // The pages' CSP allows only their own scripts: axe is injected past it, in the test's context only.
  context = await rig.browser.newContext({ bypassCSP: true });
  bar = await seedTillVenue(context, rig.baseUrl, { tabCount: 16, label: 'a11y' });
  const headers = { 'x-csrf-token': bar.csrfToken };
  const api = async (method: 'post' | 'patch', path: string, data: object) => {
    const res = await context.request[method](`${rig.baseUrl}/api/v1${path}`, { data, headers });
    if (res.status() >= 300) throw new Error(`${method} ${path}: ${res.status()} ${await res.text()}`);
    return res.json() as Promise<Record<string, unknown>>;
  };
  tabId = bar.tabs[0]!.id;
  // A void (the first tab keeps a line), a refund, a price change, a bartender, an archived product.
  const second = bar.tabs[1]!;
  await api('post', '/tabs/lines/void', { tabId: second.id, lineId: second.lines[0]!.id, reason: 'rang twice' });
  const guinness = bar.products.find((p) => p.name === 'Guinness')!;
  const sale = await api('post', '/sales', { lines: [{ servingId: bar.serving('Guinness', 'Pint'), quantity: 2 }], payments: [{ method: 'card', amountCents: 2 * guinness.servings[0]!.priceCents }] });
  await api('post', '/refunds', { saleId: sale.id as string, reason: 'flat pint' });
  await api('patch', `/products/${guinness.id}`, { servings: guinness.servings.map((s, i) => ({ id: s.id, name: s.name, ml: s.ml, priceCents: s.priceCents + (i === 0 ? 10 : 0) })) });
  await api('post', '/staff', { ...newStaff('a11y', 'bartender'), password: 'a bartender password 1' });
  await api('post', `/products/${bar.products[bar.products.length - 1]!.id}/archive`, {});
  warned = (await api('post', '/products', {
    name: 'Harbour IPA',
    category: 'bottle',
    abv: 5.5,
    vatClass: 'standard',
    unitMl: 330,
    unitCostCents: 120,
    parUnits: 24,
    servings: [{ name: 'Bottle', ml: null, priceCents: 650 }, { name: 'Pint', ml: 568, priceCents: 900 }],
  })) as unknown as Product;
}, 180_000);

afterAll(async () => {
  await context?.close();
  await rig?.close();
});

/** The pages a logged-in manager uses; the product form with errors is reached by posting it empty. */
function pages(): Array<{ name: string; path: string; after?: (page: Page) => Promise<void> }> {
  return [
    { name: 'till', path: '/till' },
    { name: 'till-tab', path: `/till?tab=${tabId}` },
    { name: 'catalogue', path: '/catalogue' },
    { name: 'catalogue-archived', path: '/catalogue?show=archived' },
    { name: 'product-new', path: '/catalogue/new' },
    { name: 'product-warned', path: `/catalogue/${warned.id}` },
    {
      name: 'product-errors',
      path: '/catalogue/new',
      after: async (page) => {
        await page.fill('#name', '');
        await page.click('[data-testid=submit]');
        await page.waitForSelector('[data-testid=name-error]');
      },
    },
    { name: 'staff', path: '/staff' },
    { name: 'audit', path: '/audit' },
  ];
}

describe('axe-core in Chromium', () => {
  for (const size of SIZES) {
    it(`finds no serious or critical violation on the till, catalogue, staff, audit and login pages at ${size.width}×${size.height}`, async () => {
      const found: string[] = [];
      const page = await context.newPage();
      await page.setViewportSize({ width: size.width, height: size.height });
      try {
        for (const p of pages()) {
          await page.goto(`${rig.baseUrl}${p.path}`);
          if (p.after) await p.after(page);
          found.push(...(await axeProblems(page, `${p.name} ${size.name}`)));
        }
      } finally {
        await page.close();
      }
      // The login page, as someone not logged in sees it.
      const outside = await rig.browser.newContext({ bypassCSP: true, viewport: { width: size.width, height: size.height } });
      try {
        const login = await outside.newPage();
        await login.goto(`${rig.baseUrl}/login`);
        found.push(...(await axeProblems(login, `login ${size.name}`)));
      } finally {
        await outside.close();
      }
      expect(found).toEqual([]);
    }, 120_000);
  }
});

describe('the manager pages on a 390 px phone', () => {
  it('do not scroll sideways: catalogue, archived products, product form and audit log', async () => {
    const page = await context.newPage();
    await page.setViewportSize({ width: 390, height: 844 });
    const wide: string[] = [];
    try {
      for (const path of ['/catalogue', '/catalogue?show=archived', '/catalogue/new', `/catalogue/${warned.id}`, '/audit']) {
        await page.goto(`${rig.baseUrl}${path}`);
        wide.push(...(await sideways(page, path)));
      }
    } finally {
      await page.close();
    }
    expect(wide).toEqual([]);
  }, 60_000);

  it('come back to the list after saving a product, its row marked and scrolled into view', async () => {
    const page = await context.newPage();
    await page.setViewportSize({ width: 390, height: 844 });
    try {
      await page.goto(`${rig.baseUrl}/catalogue/new`);
      await page.fill('#name', 'Cidona Light');
      await page.selectOption('#category', 'other');
      await page.fill('#abv', '0');
      await page.fill('#unitCost', '0.80');
      await page.fill('[name="servings.0.name"]', 'Bottle');
      await page.fill('[name="servings.0.price"]', '3.20');
      await page.click('[data-testid=submit]');
      await page.waitForURL(/\/catalogue\?saved=[0-9a-f-]{36}#product-[0-9a-f-]{36}$/);
      const id = new URL(page.url()).searchParams.get('saved');
      // "Other" is the last of the 7 categories, thousands of pixels down a phone's list.
      const shown = await page.evaluate<{ top: number; bottom: number; scrollY: number; marked: boolean }>(`(() => {
        const row = document.getElementById('product-${id}');
        const r = row.getBoundingClientRect();
        return { top: r.top, bottom: r.bottom, scrollY: window.scrollY, marked: row.classList.contains('highlight') };
      })()`);
      expect(shown.scrollY).toBeGreaterThan(1000);
      expect(shown.top).toBeGreaterThanOrEqual(0);
      expect(shown.bottom).toBeLessThanOrEqual(844);
      expect(shown.marked).toBe(true);
      await expect(page.textContent('[data-testid=saved]')).resolves.toContain('Saved Cidona Light');
    } finally {
      await page.close();
    }
  }, 60_000);

  it('are screenshotted at 1024×768 and 390×844', async () => {
    for (const size of SIZES) {
      const page = await context.newPage();
      await page.setViewportSize({ width: size.width, height: size.height });
      try {
        for (const [name, path] of [
          ['catalogue', '/catalogue'],
          ['product-form', `/catalogue/${warned.id}`],
          ['audit', '/audit'],
        ] as const) {
          await page.goto(`${rig.baseUrl}${path}`);
          const file = join(ARTIFACTS, `manager-${name}-${size.width}x${size.height}.png`);
          await page.screenshot({ path: file, fullPage: true });
          expect(await page.title()).toMatch(/Barback/);
        }
      } finally {
        await page.close();
      }
    }
  }, 60_000);
});
