/**
 * The areas in the header (views/layout.eta), in Chromium at 1024×768 and
 * 390×844: one header row on every page; every area a manager has is one
 * tap from the bar or from "More"/"Menu", each shown once; the current area
 * is marked; a bartender sees only theirs (till, shift, stocktake,
 * catalogue); no sideways scroll; axe-core finds nothing serious with the
 * menu open.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { BrowserContext, Page } from 'playwright-core';
import { ARTIFACTS, SIZES, axeViolations, startBrowserRig, type BrowserRig } from '../helpers/browser.js';
import { staffOverHttp, registerOverHttp, type HttpVenue } from '../helpers/venue.js';

const MANAGER_AREAS = ['/till', '/dashboard', '/sales', '/shift', '/stocktakes', '/deliveries', '/wastage', '/reorder', '/vat', '/catalogue', '/staff', '/settings', '/audit'];
const BARTENDER_AREAS = ['/till', '/shift', '/stocktakes', '/catalogue'];

let rig: BrowserRig;
let venue: HttpVenue;
let bartender: { email: string; password: string };

beforeAll(async () => {
  rig = await startBrowserRig();
  venue = await registerOverHttp(rig.frontEnd, 'nav');
  bartender = await staffOverHttp(rig.frontEnd, venue, 'bartender');
}, 120_000);

afterAll(async () => {
  await rig?.close();
});

async function logIn(context: BrowserContext, who: { email: string; password: string }): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`${rig.baseUrl}/login`);
  await page.fill('#email', who.email);
  await page.fill('#password', who.password);
  await page.click('[data-testid=submit]');
  await page.waitForURL((url) => url.pathname !== '/login');
  return page;
}

interface Bar {
  headerHeight: number;
  /** The hrefs of the area links a person can see, in the bar now. */
  visible: string[];
  overflowX: number;
}

// Source text: test/ is type-checked without the DOM's types.
const MEASURE = `(() => {
  const header = document.querySelector('header.topbar');
  // checkVisibility: a closed <details> keeps its content's boxes (content-visibility), so sizes alone would count them.
  const shown = (el) => el.checkVisibility({ visibilityProperty: true }) && el.getBoundingClientRect().width > 0;
  return {
    headerHeight: header.getBoundingClientRect().height,
    visible: [...document.querySelectorAll('nav.areas a')].filter(shown).map((a) => a.getAttribute('href')),
    overflowX: document.documentElement.scrollWidth - document.documentElement.clientWidth,
  };
})()`;

/** Opens "More" / "Menu" if the person has one, and measures what is visible then. */
async function openMenu(page: Page): Promise<Bar> {
  const summary = page.locator('[data-testid=more-areas] > summary');
  if (await summary.isVisible()) await summary.click();
  return page.evaluate<Bar>(MEASURE);
}

describe('the header’s areas', () => {
  for (const size of SIZES) {
    it(`give a manager every area within one tap, in one header row, at ${size.width}×${size.height}`, async () => {
      const context = await rig.browser.newContext({ bypassCSP: true, viewport: { width: size.width, height: size.height } });
      try {
        const page = await logIn(context, venue.account);
        await page.goto(`${rig.baseUrl}/audit`);
        const closed = await page.evaluate<Bar>(MEASURE);
        // One row: the brand's 44 px target plus the bar's padding, not the 200 px the wrapped nav took on a phone.
        expect(closed.headerHeight).toBeLessThan(72);
        expect(closed.overflowX).toBe(0);
        // Closed, the bar shows the shift's areas (on a phone only the till): never an area twice.
        expect(closed.visible).toEqual(size.name === 'phone' ? ['/till'] : ['/till', '/dashboard', '/sales', '/shift', '/stocktakes']);
        const open = await openMenu(page);
        expect([...open.visible].sort()).toEqual([...MANAGER_AREAS].sort());
        expect(open.overflowX).toBe(0);
        // The page's own area is marked, inside the menu, and the menu says it holds it.
        await expect(page.getAttribute('nav.areas a[href="/audit"]', 'aria-current')).resolves.toBe('page');
        await expect(page.getAttribute('[data-testid=more-areas]', 'class')).resolves.toContain('has-current');
        expect(await axeViolations(page)).toEqual([]);
        await page.screenshot({ path: join(ARTIFACTS, `nav-manager-open-${size.width}x${size.height}.png`) });
        // A tap on an area in the menu goes there.
        await page.click('nav.areas .more-list a[href="/deliveries"]');
        await page.waitForURL(`${rig.baseUrl}/deliveries`);
        await expect(page.getAttribute('nav.areas a[href="/deliveries"]', 'aria-current')).resolves.toBe('page');
      } finally {
        await context.close();
      }
    }, 60_000);

    it(`give a bartender only the till, shift, stocktake and catalogue at ${size.width}×${size.height}`, async () => {
      const context = await rig.browser.newContext({ bypassCSP: true, viewport: { width: size.width, height: size.height } });
      try {
        const page = await logIn(context, bartender);
        await page.goto(`${rig.baseUrl}/stocktakes`);
        const open = await openMenu(page);
        expect([...open.visible].sort()).toEqual([...BARTENDER_AREAS].sort());
        expect(open.headerHeight).toBeLessThan(72);
        expect(open.overflowX).toBe(0);
        expect(await axeViolations(page)).toEqual([]);
      } finally {
        await context.close();
      }
    }, 60_000);
  }
});
