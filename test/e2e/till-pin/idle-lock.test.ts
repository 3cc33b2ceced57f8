/**
 * The idle lock of an enrolled till in Debian's Chromium, with
 * TILL_IDLE_LOCK_SECONDS=3: left alone on the till, the page goes to the PIN
 * screen by itself and says why, the session behind it is locked, and Back
 * does not bring the last person's screen back.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ARTIFACTS } from '../../helpers/browser.js';
import { enrolThisBrowser, managerLogsIn, setPinOnStaffPage, startPinRig, venueWithBartenders, type PinRig } from './rig.js';

const IDLE_SECONDS = 3;
let rig: PinRig;

beforeAll(async () => {
  rig = await startPinRig({ TILL_IDLE_LOCK_SECONDS: String(IDLE_SECONDS) });
});
afterAll(async () => {
  await rig?.close();
});

describe.each([
  { width: 1024, height: 768 },
  { width: 390, height: 844 },
])('an idle till at $width×$height', (viewport) => {
  it('goes back to the PIN screen by itself, and the person behind it is signed out', async () => {
    const { baseUrl } = rig;
    const { venue, bartenders } = await venueWithBartenders(rig, `pin-idle-${viewport.width}`);
    const [aoife] = bartenders;
    const context = await rig.browser.newContext({ viewport });
    const page = await context.newPage();
    try {
      await managerLogsIn(page, baseUrl, venue);
      await enrolThisBrowser(page, baseUrl, 'Idle bar');
      await setPinOnStaffPage(page, baseUrl, aoife.id, '2580');
      await page.click('[data-testid=switch-user]');
      await page.waitForURL(/\/lock\??$/);
      await page.click(`label.who-button:has-text("${aoife.name}")`);
      for (const digit of '2580') await page.click(`[data-key="${digit}"]`);
      await page.click('[data-testid=unlock]');
      await page.waitForURL(`${baseUrl}/till`);
      const signedInAt = Date.now();

      // Nobody touches it: the page goes to the PIN screen on its own.
      await page.waitForURL(`${baseUrl}/lock?idle=1`, { timeout: (IDLE_SECONDS + 5) * 1000 });
      expect(Date.now() - signedInAt).toBeGreaterThanOrEqual(IDLE_SECONDS * 1000 - 200);
      await expect(page.textContent('[data-testid=lock-notice]')).resolves.toContain('locked itself');
      await page.screenshot({ path: join(ARTIFACTS, `till-pin-idle-${viewport.width}x${viewport.height}.png`) });

      // The session is locked too, not just the screen.
      const me = await page.request.get(`${baseUrl}/api/v1/me`);
      expect(me.status()).toBe(401);
      // Back does not show Aoife's till again.
      await page.goBack();
      await page.waitForURL(/\/lock/);
      expect(page.url()).not.toContain('/till');
    } finally {
      await context.close();
    }
  });

  it('stays signed in while someone uses it', async () => {
    const { baseUrl } = rig;
    const { venue, bartenders } = await venueWithBartenders(rig, `pin-busy-${viewport.width}`);
    const [aoife] = bartenders;
    const context = await rig.browser.newContext({ viewport });
    const page = await context.newPage();
    try {
      await managerLogsIn(page, baseUrl, venue);
      await enrolThisBrowser(page, baseUrl, 'Busy bar');
      await setPinOnStaffPage(page, baseUrl, aoife.id, '2580');
      await page.click('[data-testid=switch-user]');
      await page.waitForURL(/\/lock\??$/);
      await page.click(`label.who-button:has-text("${aoife.name}")`);
      await page.fill('#pin', '2580');
      await page.click('[data-testid=unlock]');
      await page.waitForURL(`${baseUrl}/till`);
      // Moving between pages every second for twice the idle time keeps the person signed in.
      for (let i = 0; i < IDLE_SECONDS * 2; i += 1) {
        await page.waitForTimeout(1000);
        await page.goto(`${baseUrl}/${i % 2 ? 'till' : 'catalogue'}`);
      }
      await expect(page.textContent('[data-testid=who]')).resolves.toContain(aoife.name);
    } finally {
      await context.close();
    }
  });
});
