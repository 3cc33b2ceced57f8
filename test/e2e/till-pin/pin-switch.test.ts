/**
 * PIN sign-in on a till in Debian's Chromium, at 1024×768 (a tablet) and
 * 390×844 (a phone): a manager enrols the browser and sets PINs on the staff
 * page; the till then opens on its PIN screen, where bartenders switch in
 * with the keypad and land on the till; five wrong PINs lock that person with
 * a clear message; the keypad's keys are at least 44×44 px; and the screen
 * works with JavaScript off.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Page } from 'playwright-core';
import { ARTIFACTS } from '../../helpers/browser.js';
import { enrolThisBrowser, managerLogsIn, setPinOnStaffPage, sidewaysOverflow, startPinRig, venueWithBartenders, type PinRig } from './rig.js';

let rig: PinRig;

beforeAll(async () => {
  rig = await startPinRig();
});
afterAll(async () => {
  await rig?.close();
});

/** The PIN screen, however it was reached (Switch user is a form that asks for it with GET). */
const LOCK = /\/lock\??$/;

const VIEWPORTS = [
  { width: 1024, height: 768 },
  { width: 390, height: 844 },
];

/** Chooses a name on the PIN screen and types the PIN on its keypad. */
async function keyIn(page: Page, name: string, pin: string): Promise<void> {
  await page.click(`label.who-button:has-text("${name}")`);
  await page.click('[data-key=clear]');
  for (const digit of pin) await page.click(`[data-key="${digit}"]`);
  expect(await page.inputValue('#pin')).toBe(pin);
  await page.click('[data-testid=unlock]');
}

describe.each(VIEWPORTS)('PIN sign-in on a till at $width×$height', (viewport) => {
  it('enrols the browser, switches bartenders in by PIN onto the till, and locks out a guessed PIN', async () => {
    const { baseUrl } = rig;
    const size = `${viewport.width}x${viewport.height}`;
    const { venue, bartenders } = await venueWithBartenders(rig, `pin-e2e-${viewport.width}`);
    const [aoife, brian] = bartenders;
    const context = await rig.browser.newContext({ viewport });
    const page = await context.newPage();
    try {
      // A manager, with email and password, makes this browser a till and sets PINs.
      await managerLogsIn(page, baseUrl, venue);
      await enrolThisBrowser(page, baseUrl, 'Bar 1');
      await setPinOnStaffPage(page, baseUrl, aoife.id, '2580');
      await setPinOnStaffPage(page, baseUrl, brian.id, '1470');
      await page.goto(`${baseUrl}/staff`);
      expect(await page.locator('[data-testid=has-pin]').allTextContents()).toEqual(expect.arrayContaining(['set', 'set']));
      await page.screenshot({ path: join(ARTIFACTS, `till-pin-staff-${size}.png`), fullPage: true });
      await page.screenshot({ path: `/tmp/till-pin-staff-${size}.png`, fullPage: true });
      // The page's own sections fit the screen (their tables scroll inside them; the header is the layout's).
      for (const card of await page.locator('main .card').all()) {
        const box = await card.boundingBox();
        expect(box!.x + box!.width).toBeLessThanOrEqual(viewport.width);
      }

      // Switch user: the PIN screen, with the names and a keypad.
      await page.click('[data-testid=switch-user]');
      await page.waitForURL(LOCK);
      await page.locator('[data-keypad]').waitFor({ state: 'visible' });
      expect(await page.locator('[data-testid=who-button]').allTextContents()).toEqual(
        expect.arrayContaining([expect.stringContaining(aoife.name), expect.stringContaining(brian.name)]),
      );
      await page.screenshot({ path: join(ARTIFACTS, `till-pin-lock-${size}.png`), fullPage: true });
      await page.screenshot({ path: `/tmp/till-pin-lock-${size}.png` });
      expect(await sidewaysOverflow(page)).toBe(0);
      // Every key, name and the Unlock button is a target a finger hits: at least 44×44 px.
      for (const target of await page.locator('button.key, label.who-button, [data-testid=unlock]').all()) {
        const box = await target.boundingBox();
        expect({ width: box!.width >= 44, height: box!.height >= 44 }).toEqual({ width: true, height: true });
      }
      // The whole keypad and Unlock are on the first screen, without scrolling.
      const unlock = await page.locator('[data-testid=unlock]').boundingBox();
      expect(unlock!.y + unlock!.height).toBeLessThanOrEqual(viewport.height);

      // An enrolled till opens on the PIN screen: / and /login go there.
      await page.goto(`${baseUrl}/`);
      expect(page.url()).toBe(`${baseUrl}/lock`);
      await page.goto(`${baseUrl}/login`);
      expect(page.url()).toBe(`${baseUrl}/lock`);

      // Aoife switches in with her PIN and lands on the till.
      await keyIn(page, aoife.name, '2580');
      await page.waitForURL(`${baseUrl}/till`);
      await expect(page.textContent('[data-testid=who]')).resolves.toContain(aoife.name);

      // Brian takes over: Switch user, his PIN typed on a keyboard this time.
      await page.click('[data-testid=switch-user]');
      await page.waitForURL(LOCK);
      await page.click(`label.who-button:has-text("${brian.name}")`);
      await page.fill('#pin', '1470');
      await page.press('#pin', 'Enter');
      await page.waitForURL(`${baseUrl}/till`);
      await expect(page.textContent('[data-testid=who]')).resolves.toContain(brian.name);

      // Logging out on a till goes back to its PIN screen, not the email login.
      await page.click('[data-testid=logout]');
      await page.waitForURL(`${baseUrl}/lock`);

      // Someone guesses Aoife's PIN: four wrong answers say so, the fifth locks her PIN.
      for (let i = 0; i < 4; i += 1) {
        await keyIn(page, aoife.name, '9630');
        await expect(page.textContent('[data-testid=pin-error]')).resolves.toContain('That PIN is not right');
      }
      await keyIn(page, aoife.name, '9630');
      const message = await page.textContent('[data-testid=pin-error]');
      expect(message).toMatch(/Too many wrong PINs: this PIN is locked until \d\d:\d\d/);
      expect(await page.getAttribute('[data-testid=pin-error]', 'role')).toBe('alert');
      await page.screenshot({ path: join(ARTIFACTS, `till-pin-locked-${size}.png`), fullPage: true });
      await page.screenshot({ path: `/tmp/till-pin-locked-${size}.png` });
      // Even her right PIN is refused now, and her name shows the lock.
      await keyIn(page, aoife.name, '2580');
      await expect(page.textContent('[data-testid=pin-error]')).resolves.toContain('locked until');
      await expect(page.textContent(`label.who-button:has-text("${aoife.name}")`)).resolves.toContain('PIN locked until');
      // Brian is not affected.
      await keyIn(page, brian.name, '1470');
      await page.waitForURL(`${baseUrl}/till`);
    } finally {
      await context.close();
    }
  });
});

describe('with JavaScript off', () => {
  it('enrols, sets a PIN and signs in on the PIN screen through plain forms', async () => {
    const { baseUrl } = rig;
    const { venue, bartenders } = await venueWithBartenders(rig, 'pin-nojs');
    const [aoife] = bartenders;
    const context = await rig.browser.newContext({ viewport: { width: 1024, height: 768 }, javaScriptEnabled: false });
    const page = await context.newPage();
    try {
      await managerLogsIn(page, baseUrl, venue);
      await enrolThisBrowser(page, baseUrl, 'No script bar');
      await setPinOnStaffPage(page, baseUrl, aoife.id, '2580');
      await page.click('[data-testid=switch-user]');
      await page.waitForURL(LOCK);
      // No script, no keypad: the PIN field takes the digits.
      expect(await page.locator('[data-keypad]').isVisible()).toBe(false);
      await page.click(`label.who-button:has-text("${aoife.name}")`);
      await page.fill('#pin', '2581');
      await page.click('[data-testid=unlock]');
      await expect(page.textContent('[data-testid=pin-error]')).resolves.toContain('That PIN is not right');
      await page.fill('#pin', '2580');
      await page.click('[data-testid=unlock]');
      await page.waitForURL(`${baseUrl}/till`);
      await expect(page.textContent('[data-testid=who]')).resolves.toContain(aoife.name);
      await page.screenshot({ path: join(ARTIFACTS, 'till-pin-nojs-till.png') });
    } finally {
      await context.close();
    }
  });
});
