import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { chromium, type Browser } from 'playwright-core';
import type { Worker } from '../../back-end/src/worker.js';
import { newAccount, startFrontEnd, startWorker, type TestFrontEnd } from '../helpers/app.js';

const ARTIFACTS = join(process.cwd(), 'test-artifacts');
let worker: Worker;
let frontEnd: TestFrontEnd;
let browser: Browser;
let baseUrl: string;

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  worker = await startWorker();
  frontEnd = await startFrontEnd();
  baseUrl = await frontEnd.app.listen({ host: '127.0.0.1', port: 0 });
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
});

afterAll(async () => {
  await browser?.close();
  await frontEnd?.close();
  await worker?.stop();
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
