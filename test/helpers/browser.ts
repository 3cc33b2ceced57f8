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

/** The two screens every page is checked on: a bar's tablet and a phone. */
export const SIZES = [
  { name: 'tablet', width: 1024, height: 768 },
  { name: 'phone', width: 390, height: 844 },
] as const;
export type Size = (typeof SIZES)[number];

/** axe-core's serious and critical violations on the page as it is now, one line each, to read in a failure. */
export async function axeProblems(page: Page, where: string): Promise<string[]> {
  return (await axeViolations(page)).map((v) => `${where}: ${v.id} (${v.impact}) on ${v.targets.join(' | ')}: ${v.help} [${v.helpUrl}]`);
}

/** Width the page scrolls sideways by (0: none). */
export async function sidewaysOverflow(page: Page): Promise<number> {
  // A string, evaluated in the page: test/ is type-checked without the DOM's types.
  return Number(await page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth'));
}

/** How far the page is wider than the screen, and the first elements that stick out (none: an empty list). */
export async function sideways(page: Page, where: string): Promise<string[]> {
  const measured = await page.evaluate<{ overflowX: number; widest: string[] }>(`(() => {
    const limit = document.documentElement.clientWidth;
    const widest = [...document.querySelectorAll('body *')]
      .filter((el) => el.getBoundingClientRect().right > limit + 0.5)
      .slice(0, 5)
      .map((el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + (el.className && typeof el.className === 'string' ? '.' + el.className.trim().replace(/\\s+/g, '.') : ''));
    return { overflowX: document.documentElement.scrollWidth - limit, widest };
  })()`);
  return measured.overflowX > 0 ? [`${where}: ${measured.overflowX}px wider than the screen (${measured.widest.join(', ')})`] : [];
}

/**
 * The page as it is now: a full-page screenshot kept as
 * ARTIFACTS/<screenshotName>.png, then its sideways scrolling and axe's
 * serious and critical findings, one line each (none: an empty list).
 */
export async function pageProblems(page: Page, screenshotName: string, where: string): Promise<string[]> {
  await page.screenshot({ path: join(ARTIFACTS, `${screenshotName}.png`), fullPage: true });
  return [...(await sideways(page, where)), ...(await axeProblems(page, where))];
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
