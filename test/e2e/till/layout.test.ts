/**
 * The till laid out for service, in Chromium, on a tablet held either way
 * (1024×768, 768×1024) and on a phone (390×844), with 16 open tabs and 60
 * products in 7 categories: after every tap the order panel's total and pay
 * buttons are in view, the page neither loaded again nor scrolled, nothing
 * scrolls sideways, and every control is at least 44×44 px.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { formatEuro } from '@barback/messaging';
import type { Page } from 'playwright-core';
import { ARTIFACTS, startBrowserRig, type BrowserRig } from '../../helpers/browser.js';
import { logIn, markPage, screenState, seedTillVenue, settled, tapAndWait, tapTargets, type TillVenue } from '../../helpers/till-venue.js';

let rig: BrowserRig;
let venue: TillVenue;

beforeAll(async () => {
  rig = await startBrowserRig();
  const context = await rig.browser.newContext();
  venue = await seedTillVenue(context, rig.baseUrl, { label: 'till-layout' });
  await context.close();
}, 120_000);
afterAll(async () => {
  await rig?.close();
});

const TOTAL = '[data-testid=order-total]';

/** A serving's price, from the catalogue as created. */
function price(product: string, serving: string): number {
  const found = venue.products.find((p) => p.name === product)?.servings.find((s) => s.name === serving);
  if (!found) throw new Error(`no ${product} · ${serving}`);
  return found.priceCents;
}
const PAY = ['[data-testid=pay-cash]', '[data-testid=pay-card]'];

/** After a tap: the same page, not scrolled, the total and the pay buttons in view, nothing wider than the screen. */
async function expectInPlace(page: Page, step: string, payable = true): Promise<void> {
  const state = await screenState(page, [TOTAL, ...PAY]);
  // Seen once in a full run (pay buttons below the fold right after the first
  // load, 1 of 4 runs, not reproduced alone): keep what the screen showed.
  if (!state.inView[TOTAL] || state.inView[PAY[0]!] !== payable || state.inView[PAY[1]!] !== payable) {
    await page.screenshot({ path: join(ARTIFACTS, `till-layout-failed-${step.replace(/\W+/g, '-')}.png`) });
  }
  expect({ step, ...state }).toEqual({
    step,
    marker: true,
    navigations: 1,
    scrollX: 0,
    scrollY: 0,
    inView: { [TOTAL]: true, [PAY[0]!]: payable, [PAY[1]!]: payable },
    overflowX: expect.any(Number),
  });
  expect({ step, overflowX: Math.max(0, state.overflowX) }).toEqual({ step, overflowX: 0 });
}

async function expectTouchSized(page: Page, where: string): Promise<number> {
  const targets = await tapTargets(page);
  expect({ where, small: targets.filter((t) => t.width < 44 || t.height < 44) }).toEqual({ where, small: [] });
  return targets.length;
}

const VIEWPORTS = [
  // Each on a tab of its own, each opened with one pint (seedTillVenue: tab n has 1 + n % 2).
  { name: 'tablet-landscape', width: 1024, height: 768, phone: false, tabIndex: 9 },
  { name: 'tablet-portrait', width: 768, height: 1024, phone: false, tabIndex: 11 },
  { name: 'phone', width: 390, height: 844, phone: true, tabIndex: 13 },
] as const;

describe.each(VIEWPORTS)('the till at $width×$height', ({ name, width, height, phone, tabIndex }) => {
  it('keeps the order panel in view through a round of taps, in place, with touch-sized controls', async () => {
    const context = await rig.browser.newContext({ viewport: { width, height }, hasTouch: phone, isMobile: phone });
    try {
      await logIn(context, venue);
      const page = await context.newPage();
      const tab = venue.tabs[tabIndex]!;
      await page.goto(`${rig.baseUrl}/till?tab=${tab.id}`);
      await markPage(page);
      await expectInPlace(page, 'opened on a tab');
      // The chosen tab is in sight in the strip, which scrolls on its own.
      const chosen = page.locator('[data-testid=tab-link][aria-current]');
      expect(await chosen.textContent()).toContain(tab.name);
      expect((await screenState(page, ['[data-testid=tab-link][aria-current]'])).inView['[data-testid=tab-link][aria-current]']).toBe(true);

      await tapAndWait(page, 'button[data-serving="Guinness · Pint"]');
      await expectInPlace(page, 'a pint');
      await tapAndWait(page, 'button[data-serving="Guinness · Half"]');
      await expectInPlace(page, 'a half');
      await tapAndWait(page, '[data-testid=category] >> text=Spirits');
      await expectInPlace(page, 'to spirits');
      await tapAndWait(page, 'button[data-serving="Jameson · Single"]');
      await expectInPlace(page, 'a whiskey');
      await tapAndWait(page, '[data-testid=category] >> text=Other');
      await tapAndWait(page, 'button[data-serving="Tayto Crisps · Regular"]');
      await expectInPlace(page, 'crisps');
      const pint = price('Guinness', 'Pint');
      // The tab's own pint and the four tapped.
      let total = 2 * pint + price('Guinness', 'Half') + price('Jameson', 'Single') + price('Tayto Crisps', 'Regular');
      expect(await page.textContent(TOTAL)).toBe(formatEuro(total));
      expect(await page.locator('[data-testid=order-line]').count()).toBe(4);

      // Another tab, from far along the strip, and back.
      await page.locator(`[data-testid=tab-link] >> text=${venue.tabs[15]!.name}`).scrollIntoViewIfNeeded();
      await tapAndWait(page, `[data-testid=tab-link] >> text=${venue.tabs[15]!.name}`);
      expect(await page.textContent('[data-testid=order-name]')).toBe(venue.tabs[15]!.name);
      await expectInPlace(page, 'another tab');
      await tapAndWait(page, `#tab-${tab.id}`);
      expect(await page.textContent('[data-testid=order-name]')).toBe(tab.name);

      if (phone) {
        // The sheet: closed it shows the tab, the total and the pay buttons; opened, the lines and every way to pay.
        expect(await page.locator('[data-testid=order-line]').first().isVisible()).toBe(false);
        await expectTouchSized(page, 'phone, sheet closed');
        await page.tap('[data-testid=order-toggle]');
        expect(await page.locator('[data-testid=order-line]').first().isVisible()).toBe(true);
      }
      await tapAndWait(page, '[data-testid=plus] >> nth=0');
      await expectInPlace(page, '+');
      total += pint;
      expect(await page.textContent(TOTAL)).toBe(formatEuro(total));

      await page.screenshot({ path: join(ARTIFACTS, `till-${name}.png`) });
      const counted = await expectTouchSized(page, 'a tab');
      expect(counted).toBeGreaterThan(30);

      // The confirmation of a removal, opened in the row.
      await page.click('[data-testid=minus] >> nth=0');
      await page.waitForSelector('[data-testid=void-reason]');
      await expectTouchSized(page, 'removing a drink');

      await tapAndWait(page, '[data-testid=split-open]');
      await expectTouchSized(page, 'splitting');
      await tapAndWait(page, '[data-testid=split-back]');

      // The quick sale, then a new tab's form.
      await tapAndWait(page, '[data-testid=quick-sale]');
      await expectInPlace(page, 'quick sale, empty', false);
      await tapAndWait(page, 'button[data-serving="Tayto Crisps · Regular"]');
      await expectInPlace(page, 'quick sale');
      await tapAndWait(page, '[data-testid=new-tab]');
      await expectTouchSized(page, 'new tab');
      const state = await screenState(page, ['#name', '[data-testid=open-tab]']);
      expect(state.inView).toEqual({ '#name': true, '[data-testid=open-tab]': true });
      expect(state.scrollY).toBe(0);
      expect(state.marker).toBe(true);
    } finally {
      await context.close();
    }
  });

  it('has a skip link to the order first, and a heading for every region', async () => {
    const context = await rig.browser.newContext({ viewport: { width, height } });
    try {
      await logIn(context, venue);
      const page = await context.newPage();
      await page.goto(`${rig.baseUrl}/till?tab=${venue.tabs[0]!.id}`);
      await page.keyboard.press('Tab');
      expect(await page.evaluate('document.activeElement.dataset.testid')).toBe('skip-link');
      expect(await page.textContent('[data-testid=skip-link]')).toBe('Skip to order');
      expect((await screenState(page, ['[data-testid=skip-link]'])).inView['[data-testid=skip-link]']).toBe(true);
      await page.keyboard.press('Enter');
      expect(await page.evaluate('document.activeElement.id')).toBe('order-panel');
      expect(await page.evaluate('window.scrollY')).toBe(0);
      const headings = await page.locator('h1, h2').allTextContents();
      expect(headings).toEqual(['Till', 'Open tabs', 'Products', venue.tabs[0]!.name]);
      await settled(page);
    } finally {
      await context.close();
    }
  });
});
