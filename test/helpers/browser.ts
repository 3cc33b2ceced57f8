import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import type { Worker } from '@barback/back-end';
import { startFrontEnd, type TestFrontEnd } from './app.js';
import { startWorker } from './worker.js';

/** Screenshots of browser tests land here, kept as test artifacts. */
export const ARTIFACTS = join(process.cwd(), 'test-artifacts');

export interface BrowserRig {
  browser: Browser;
  /** The in-process worker, whose pools a test can use to check the database. */
  worker: Worker;
  frontEnd: TestFrontEnd;
  baseUrl: string;
  close(): Promise<void>;
}

/**
 * A worker, a front end listening on a real port, and Debian's Chromium,
 * headless (playwright-core downloads no browser of its own).
 */
export async function startBrowserRig(env: Record<string, string> = {}): Promise<BrowserRig> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const worker: Worker = await startWorker();
  const frontEnd: TestFrontEnd = await startFrontEnd(env);
  const baseUrl = await frontEnd.app.listen({ host: '127.0.0.1', port: 0 });
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
  return {
    browser,
    worker,
    frontEnd,
    baseUrl,
    async close() {
      await browser.close();
      await frontEnd.close();
      await worker.stop();
    },
  };
}
