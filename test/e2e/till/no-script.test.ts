/**
 * The whole till with JavaScript off, in Chromium: every action is a plain
 * form, so a tablet whose script failed to load still opens a tab, rings,
 * takes a drink off with a reason, splits, takes cash with change and rings
 * a quick sale.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { formatEuro } from '@barback/messaging';
import type { BrowserContext, Page } from 'playwright-core';
import { ARTIFACTS, startBrowserRig, type BrowserRig } from '../../helpers/browser.js';
import { logIn, seedTillVenue, tapTargets, type TillVenue } from '../../helpers/till-venue.js';

let rig: BrowserRig;
let venue: TillVenue;
let context: BrowserContext;
let page: Page;

beforeAll(async () => {
  rig = await startBrowserRig();
  const seeding = await rig.browser.newContext();
  venue = await seedTillVenue(seeding, rig.baseUrl, { tabCount: 3, label: 'till-noscript' });
  await seeding.close();
  context = await rig.browser.newContext({ viewport: { width: 1024, height: 768 }, javaScriptEnabled: false });
  await logIn(context, venue);
  page = await context.newPage();
}, 120_000);
afterAll(async () => {
  await context?.close();
  await rig?.close();
});

const price = (product: string, serving: string) => venue.products.find((p) => p.name === product)!.servings.find((s) => s.name === serving)!.priceCents;

/** A tap with script off: a form post, a redirect, a new page (the click waits for the navigation it starts). */
async function tap(selector: string): Promise<void> {
  await page.click(selector);
  await page.waitForLoadState('load');
}

describe('the till with JavaScript off', () => {
  it('opens a tab, rings, takes a drink off with a reason, and takes cash with change', async () => {
    await page.goto(`${rig.baseUrl}/till`);
    expect(await page.evaluate('typeof window.htmx')).toBe('undefined');
    await tap('[data-testid=new-tab]');
    await page.fill('#name', 'Garden table');
    await tap('[data-testid=open-tab]');
    expect(page.url()).toMatch(/\/till\?tab=[0-9a-f-]{36}$/);
    expect(await page.textContent('[data-testid=order-name]')).toBe('Garden table');

    await tap('button[data-serving="Guinness · Pint"]');
    await tap('button[data-serving="Guinness · Pint"]');
    await tap('[data-testid=category] >> text=Spirits');
    expect(page.url()).toMatch(/category=spirit/);
    await tap('button[data-serving="Jameson · Single"]');
    expect(await page.textContent('[data-testid=line-qty] >> nth=0')).toBe('2');
    const pint = price('Guinness', 'Pint');
    const whiskey = price('Jameson', 'Single');
    expect(await page.textContent('[data-testid=order-total]')).toBe(formatEuro(2 * pint + whiskey));

    // − opens its confirmation without script (a details element); no reason is refused in the panel.
    await page.click('[data-testid=minus] >> nth=0');
    await tap('[data-testid=void-line] >> nth=0');
    expect(await page.textContent('[data-testid=alert]')).toBe('Say why this drink comes off the tab.');
    expect(await page.evaluate('document.activeElement.id')).toBe('order-alert');
    await page.fill('[data-testid=void-reason-text] >> nth=0', 'Poured the wrong one');
    await page.press('[data-testid=void-reason-text] >> nth=0', 'Enter');
    await page.waitForLoadState('load');
    expect(await page.textContent('[data-testid=line-qty] >> nth=0')).toBe('1');
    expect(await page.textContent('[data-testid=voided-line]')).toContain('taken off: Poured the wrong one');

    // Cash: €20 handed over.
    const total = pint + whiskey;
    expect(await page.textContent('[data-testid=order-total]')).toBe(formatEuro(total));
    await tap('[data-testid=tender-2000]');
    expect(await page.textContent('[data-testid=paid-total]')).toBe(formatEuro(total));
    expect(await page.textContent('[data-testid=paid-change]')).toBe(formatEuro(2000 - total));
    expect(await page.locator('[data-testid=order-panel] [name=tabId]').count()).toBe(0);
    await page.screenshot({ path: join(ARTIFACTS, 'till-no-script-paid.png') });
    expect((await tapTargets(page)).filter((t) => t.width < 44 || t.height < 44)).toEqual([]);
  });

  it('rings a quick sale in two taps, and splits a tab by its drinks', async () => {
    await page.goto(`${rig.baseUrl}/till`);
    await tap('[data-testid=category] >> text=Draught');
    await tap('button[data-serving="Coors Light · Pint"]');
    await tap('[data-testid=pay-card]');
    expect(await page.textContent('[data-testid=paid-total]')).toBe(formatEuro(price('Coors Light', 'Pint')));

    const tab = venue.tabs[1]!;
    await page.goto(`${rig.baseUrl}/till?tab=${tab.id}`);
    await tap('button[data-serving="Guinness · Half"]');
    await tap('[data-testid=split-open]');
    await page.check('[data-testid=split-line]:has-text("Half") input');
    await tap('[data-testid=split-lines]');
    expect(await page.textContent('[data-testid=order-name]')).toBe(`${tab.name} (split)`);
    await tap('[data-testid=pay-cash]');
    expect(await page.textContent('[data-testid=paid-total]')).toBe(formatEuro(price('Guinness', 'Half')));
    const db = await rig.worker.db.primary();
    const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM tab_lines WHERE tab_id = $1', [tab.id]);
    expect(rows[0]!.n).toBe(1);
  });
});
