/**
 * Taps that mean what they say, in Chromium on a 1024×768 tablet with 16
 * open tabs: a walk-in drink in two taps; a double tap on Pay, at any
 * spacing, pays once and leaves the till on no tab, so the next drink goes
 * on no other bill; refusals show in the order panel and take the focus.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { formatEuro } from '@barback/messaging';
import type { BrowserContext, Page } from 'playwright-core';
import { startBrowserRig, type BrowserRig } from '../../helpers/browser.js';
import { markPage, screenState, seedTillVenue, settled, tapAndWait, type TillVenue } from '../../helpers/till-venue.js';

let rig: BrowserRig;
let venue: TillVenue;
let context: BrowserContext;
let page: Page;

beforeAll(async () => {
  rig = await startBrowserRig();
  context = await rig.browser.newContext({ viewport: { width: 1024, height: 768 } });
  venue = await seedTillVenue(context, rig.baseUrl, { label: 'till-pay' });
  page = await context.newPage();
}, 120_000);
afterAll(async () => {
  await context?.close();
  await rig?.close();
});

async function query<R>(sql: string, values: unknown[]): Promise<R[]> {
  const db = await rig.worker.db.primary();
  return (await db.query(sql, values)).rows as R[];
}

/** Sales of the venue (closed tabs) and the drinks on each open tab, as the database has them. */
async function ledger(): Promise<{ sales: number; payments: number; openLines: Record<string, number> }> {
  const [counts] = await query<{ sales: number; payments: number }>(
    `SELECT (SELECT count(*)::int FROM tabs WHERE venue_id = $1 AND status = 'closed') AS sales,
            (SELECT count(*)::int FROM payments WHERE venue_id = $1) AS payments`,
    [venue.venueId],
  );
  const lines = await query<{ id: string; n: number }>(
    `SELECT t.id, count(l.id)::int AS n FROM tabs t LEFT JOIN tab_lines l ON l.tab_id = t.id
      WHERE t.venue_id = $1 AND t.status = 'open' GROUP BY t.id`,
    [venue.venueId],
  );
  return { sales: counts!.sales, payments: counts!.payments, openLines: Object.fromEntries(lines.map((r) => [r.id, r.n])) };
}

const price = (product: string, serving: string) => venue.products.find((p) => p.name === product)!.servings.find((s) => s.name === serving)!.priceCents;

/** Two taps on the same spot of the screen, `gapMs` apart, as a finger does. */
async function doubleTap(selector: string, gapMs: number): Promise<void> {
  const box = (await page.locator(selector).boundingBox())!;
  const x = box.x + box.width / 2;
  const y = box.y + box.height / 2;
  await page.mouse.click(x, y);
  await page.waitForTimeout(gapMs);
  await page.mouse.click(x, y);
}

describe('paying at the till', () => {
  it('rings a walk-in drink in two taps: the drink, then Card or a note', async () => {
    await page.goto(`${rig.baseUrl}/till`);
    await markPage(page);
    const before = await ledger();

    await tapAndWait(page, 'button[data-serving="Coors Light · Pint"]');
    await tapAndWait(page, '[data-testid=pay-card]');
    expect(await page.textContent('[data-testid=paid-total]')).toBe(formatEuro(price('Coors Light', 'Pint')));
    expect((await page.textContent('[data-testid=paid]'))!.replace(/\s+/g, ' ')).toContain('by card');

    await tapAndWait(page, 'button[data-serving="Guinness · Pint"]');
    await tapAndWait(page, '[data-testid=tender-1000]');
    expect(await page.textContent('[data-testid=paid-change]')).toBe(formatEuro(1000 - price('Guinness', 'Pint')));

    const after = await ledger();
    expect(after.sales).toBe(before.sales + 2);
    expect(after.openLines).toEqual(before.openLines);
    expect((await screenState(page, [])).marker).toBe(true);
  });

  for (const gapMs of [60, 120, 200, 350]) {
    it(`pays once for a double tap on Pay ${gapMs} ms apart, and the next drink goes on no other tab`, async () => {
      const tab = venue.tabs[gapMs === 60 ? 2 : gapMs === 120 ? 4 : gapMs === 200 ? 6 : 8]!;
      await page.goto(`${rig.baseUrl}/till?tab=${tab.id}`);
      await markPage(page);
      await tapAndWait(page, 'button[data-serving="Guinness · Half"]');
      const total = await page.textContent('[data-testid=order-total]');
      const before = await ledger();

      await doubleTap('[data-testid=pay-card]', gapMs);
      await page.waitForSelector('[data-testid=paid]');
      await settled(page);
      await page.waitForTimeout(400);
      await settled(page);
      expect(await page.textContent('[data-testid=paid-total]')).toBe(total);
      const payments = await query<{ amount_cents: number }>('SELECT amount_cents FROM payments WHERE tab_id = $1', [tab.id]);
      expect(payments).toHaveLength(1);
      const paid = await ledger();
      expect(paid.sales).toBe(before.sales + 1);
      expect(paid.payments).toBe(before.payments + 1);

      // Neutral: no tab chosen, so the next drink starts a quick sale.
      expect(await page.getAttribute('[data-testid=order-panel]', 'data-mode')).toBe('quick');
      expect(await page.locator('[data-testid=tab-link][aria-current]').count()).toBe(0);
      await tapAndWait(page, 'button[data-serving="Guinness · Pint"]');
      expect(await page.textContent('[data-testid=order-name]')).toBe('Quick sale');
      const { [tab.id]: _paidTab, ...others } = before.openLines;
      expect((await ledger()).openLines).toEqual(others);
      expect((await screenState(page, [])).marker).toBe(true);
      await tapAndWait(page, '[data-testid=quick-clear]');
    });
  }

  it('pays a quick sale once for a double tap on Pay', async () => {
    await page.goto(`${rig.baseUrl}/till`);
    await tapAndWait(page, 'button[data-serving="Guinness · Pint"]');
    await tapAndWait(page, 'button[data-serving="Guinness · Pint"]');
    const before = await ledger();
    await doubleTap('[data-testid=pay-cash]', 120);
    await page.waitForSelector('[data-testid=paid]');
    await page.waitForTimeout(400);
    await settled(page);
    expect((await ledger()).sales).toBe(before.sales + 1);
    expect(await page.textContent('[data-testid=paid-total]')).toBe(formatEuro(2 * price('Guinness', 'Pint')));
  });

  it('shows a refusal in the order panel, in view, and gives it the focus', async () => {
    const tab = venue.tabs[10]!;
    await page.goto(`${rig.baseUrl}/till?tab=${tab.id}`);
    await markPage(page);
    await tapAndWait(page, 'button[data-serving="Guinness · Pint"]');

    // Taking a drink off with no reason.
    await page.click('[data-testid=minus] >> nth=0');
    await tapAndWait(page, '[data-testid=void-line] >> nth=0');
    expect(await page.textContent('[data-testid=alert]')).toBe('Say why this drink comes off the tab.');
    expect(await page.evaluate('document.activeElement.id')).toBe('order-alert');
    let state = await screenState(page, ['[data-testid=alert]']);
    expect(state).toMatchObject({ marker: true, scrollY: 0, inView: { '[data-testid=alert]': true } });

    // A split that does not add up.
    await tapAndWait(page, '[data-testid=split-open]');
    await page.fill('#cashAmount', '1');
    await page.fill('#cardAmount', '1');
    await tapAndWait(page, '[data-testid=pay-split]');
    expect(await page.textContent('[data-testid=alert]')).toMatch(/^Payments add up to €2\.00 but the total is €/);
    expect(await page.evaluate('document.activeElement.id')).toBe('order-alert');
    state = await screenState(page, ['[data-testid=alert]', '#cashAmount']);
    expect(state).toMatchObject({ marker: true, scrollY: 0, inView: { '[data-testid=alert]': true, '#cashAmount': true } });
    expect(await page.inputValue('#cashAmount')).toBe('1');

    // Paid on another till meanwhile: the drink is not rung, and the till leaves the tab.
    const fresh = await context.request.get(`${rig.baseUrl}/api/v1/tabs/${tab.id}`);
    const grossCents = ((await fresh.json()) as { grossCents: number }).grossCents;
    const closed = await context.request.post(`${rig.baseUrl}/api/v1/tabs/close`, {
      data: { tabId: tab.id, payments: [{ method: 'cash', amountCents: grossCents }] },
      headers: { 'x-csrf-token': venue.csrfToken },
    });
    expect(closed.status()).toBe(200);
    const before = await ledger();
    await tapAndWait(page, 'button[data-serving="Guinness · Pint"]');
    expect(await page.textContent('[data-testid=alert]')).toMatch(/This tab has been paid: the drink was not rung up/);
    expect(await page.evaluate('document.activeElement.id')).toBe('order-alert');
    expect(await page.getAttribute('[data-testid=order-panel]', 'data-mode')).toBe('quick');
    expect((await ledger()).openLines).toEqual(before.openLines);
  });

  it('splits a bill by ticking drinks, pays them, and leaves the rest on the tab', async () => {
    const tab = venue.tabs[12]!;
    await page.goto(`${rig.baseUrl}/till?tab=${tab.id}`);
    await tapAndWait(page, 'button[data-serving="Guinness · Half"]');
    await tapAndWait(page, 'button[data-serving="Coors Light · Pint"]');
    await tapAndWait(page, '[data-testid=split-open]');
    await page.check('[data-testid=split-line]:has-text("Coors Light") input');
    await tapAndWait(page, '[data-testid=split-lines]');
    expect(await page.textContent('[data-testid=order-name]')).toBe(`${tab.name} (split)`);
    expect(await page.textContent('[data-testid=order-total]')).toBe(formatEuro(price('Coors Light', 'Pint')));
    await tapAndWait(page, '[data-testid=pay-card]');
    expect(await page.textContent('[data-testid=paid-total]')).toBe(formatEuro(price('Coors Light', 'Pint')));
    const rest = await query<{ n: number }>('SELECT count(*)::int AS n FROM tab_lines WHERE tab_id = $1', [tab.id]);
    // Tab 13 was opened with one line of two pints; the half stayed with it.
    expect(rest[0]!.n).toBe(2);
    expect(await page.locator(`#tab-${tab.id}`).count()).toBe(1);
  });
});
