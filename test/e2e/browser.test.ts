import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Browser } from 'playwright-core';
import { newAccount } from '../helpers/venue.js';
import { ARTIFACTS, startBrowserRig, type BrowserRig } from '../helpers/browser.js';

let rig: BrowserRig;
let browser: Browser;
let baseUrl: string;

beforeAll(async () => {
  rig = await startBrowserRig();
  ({ browser, baseUrl } = rig);
});

afterAll(async () => {
  await rig?.close();
});

describe('in the browser', () => {
  it('registers a bar, lands on the home page, logs out and logs in again', async () => {
    const account = newAccount('browser');
    const page = await browser.newPage();
    try {
      await page.goto(`${baseUrl}/register`);
      // First a mistake, to see the message beside the field.
      await page.fill('#venueName', account.venueName);
      await page.fill('#name', account.name);
      await page.fill('#email', 'not an email');
      await page.fill('#password', account.password);
      await page.click('[data-testid=submit]');
      await expect(page.textContent('[data-testid=email-error]')).resolves.toContain('Enter an email address');
      expect(await page.inputValue('#venueName')).toBe(account.venueName);

      await page.fill('#email', account.email);
      await page.fill('#password', account.password);
      await page.click('[data-testid=submit]');
      await page.waitForURL(`${baseUrl}/`);
      expect(await page.textContent('[data-testid=venue-name]')).toBe(account.venueName);
      expect(await page.textContent('[data-testid=staff-name]')).toBe(account.name);
      expect(await page.textContent('[data-testid=staff-role]')).toBe('manager');
      await page.screenshot({ path: join(ARTIFACTS, 'home-after-register.png'), fullPage: true });

      await page.click('[data-testid=logout]');
      await page.waitForURL(`${baseUrl}/login`);

      await page.fill('#email', account.email);
      await page.fill('#password', 'wrong password!');
      await page.click('[data-testid=submit]');
      await expect(page.textContent('[data-testid=form-error]')).resolves.toContain('Email or password is incorrect.');

      await page.fill('#password', account.password);
      await page.click('[data-testid=submit]');
      await page.waitForURL(`${baseUrl}/`);
      expect(await page.textContent('[data-testid=who]')).toContain(account.venueName);
      await page.screenshot({ path: join(ARTIFACTS, 'home-after-login.png'), fullPage: true });
    } finally {
      await page.close();
    }
  });
});
