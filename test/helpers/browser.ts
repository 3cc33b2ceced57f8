import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { Worker } from '@barback/back-end';
import { startFrontEnd, type TestFrontEnd } from './app.js';
import { startWorker } from './worker.js';

/** Screenshots of browser tests land here, kept as test artifacts. */
export const ARTIFACTS = join(process.cwd(), 'test-artifacts');

const AXE = join(process.cwd(), 'node_modules/axe-core/axe.min.js');

/** One rule axe-core found broken, with up to five of the elements that break it. */
export interface Violation {
  id: string;
  impact: string | null;
  help: string;
  helpUrl: string;
  targets: string[];
}

/**
 * axe-core's serious and critical violations on the page as it is now. The
 * pages' CSP allows only their own scripts: the page's context must be made
 * with `bypassCSP: true` for axe to be injected (in the test's context only).
 */
export async function axeViolations(page: Page): Promise<Violation[]> {
  await page.addScriptTag({ path: AXE });
  // Source text: test/ is type-checked without the DOM's types.
  const all = await page.evaluate<Violation[]>(`axe.run(document, { resultTypes: ['violations'] }).then((r) => r.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl, targets: v.nodes.slice(0, 5).map((n) => n.target.join(' ')),
  })))`);
  return all.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

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
