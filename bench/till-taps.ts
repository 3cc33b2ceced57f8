/**
 * `npm run bench:till`: how long a tap on the till takes to show, measured as
 * a bartender sees it. docs/performance.md says how to read it.
 *
 *   node --import tsx bench/till-taps.ts [--taps=200] [--use-stack] [--workers=2] [--out=DIR]
 *
 * Starts its own stack (STACK_PORT_BASE, default 25000; data in
 * /tmp/barback-bench-*) or, with --use-stack, uses the one `npm run
 * stack:up` started; seeds a venue with 60 products in 7 categories and 16
 * open tabs (test/helpers/till-venue.ts); then, in Debian's Chromium at
 * 1024×768, taps product buttons on a tab and on the quick sale, one at a
 * time, and times each from the click to the order panel drawn again (htmx
 * swapped it in and the browser reached its next frame). Every 20 taps the
 * tab is paid and another chosen, so tabs stay the size of a real round.
 * Writes bench/results/till-taps.md and .json (or the same under --out) and
 * no other file. The goal is a p95 under 300 ms on localhost; like
 * `npm run bench`, it reports and never fails on a missed goal.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join, relative } from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { portBaseFromEnv } from '../scripts/stack/ports.js';
import { repoRoot } from '../scripts/stack/paths.js';
import { seedTillVenue } from '../test/helpers/till-venue.js';
import { openStack, removeDataDir, type BenchStack } from './lib/stack.js';

const GOAL_P95_MS = 300;
const TAPS_PER_TAB = 20;

interface Options {
  taps: number;
  useStack: boolean;
  workers: number;
  outDir: string;
}

function parseArgs(argv: string[]): Options {
  const opts: Options = { taps: 200, useStack: false, workers: 2, outDir: join(repoRoot, 'bench', 'results') };
  for (const arg of argv) {
    const m = /^--([a-z-]+)(?:=(.*))?$/.exec(arg);
    if (!m) throw new Error(`unknown argument ${arg}`);
    const [, key, value] = m;
    if (key === 'taps' && value && Number.isInteger(Number(value)) && Number(value) > 0) opts.taps = Number(value);
    else if (key === 'workers' && value && Number.isInteger(Number(value)) && Number(value) > 0) opts.workers = Number(value);
    else if (key === 'use-stack' && value === undefined) opts.useStack = true;
    else if (key === 'out' && value) opts.outDir = value;
    else throw new Error(`unknown or malformed option ${arg}: --taps=N, --workers=N, --use-stack, --out=DIR`);
  }
  return opts;
}

const started = Date.now();
function log(line: string): void {
  process.stdout.write(`[bench:till ${((Date.now() - started) / 1000).toFixed(1).padStart(6)}s] ${line}\n`);
}

/**
 * One tap, timed in the page: from the click to the first frame after htmx
 * swapped the order panel in. Written as source text (test/helpers are
 * type-checked without the DOM's types).
 */
async function timedTap(page: Page, serving: string): Promise<number> {
  return page.evaluate(`new Promise((resolve, reject) => {
    const button = document.querySelector('button[data-serving=' + JSON.stringify(${JSON.stringify(serving)}) + ']');
    if (!button) return reject(new Error('no button for ' + ${JSON.stringify(serving)}));
    const start = performance.now();
    const swapped = (e) => {
      if (!e.target || e.target.id !== 'order-panel') return;
      document.body.removeEventListener('htmx:afterSwap', swapped);
      requestAnimationFrame(() => resolve(performance.now() - start));
    };
    document.body.addEventListener('htmx:afterSwap', swapped);
    button.click();
  })`);
}

function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

function summary(times: number[]) {
  const sorted = [...times].sort((a, b) => a - b);
  const round = (n: number) => Math.round(n * 10) / 10;
  return { taps: times.length, p50Ms: round(percentile(sorted, 50)), p95Ms: round(percentile(sorted, 95)), maxMs: round(sorted.at(-1) ?? Number.NaN) };
}

async function main(): Promise<void> {
  const opts = parseArgs(process.argv.slice(2));
  const dataDir = process.env['BENCH_DATA_DIR'] || `/tmp/barback-bench-${Date.now().toString(36)}`;
  let stack: BenchStack | null = null;
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
  try {
    stack = await openStack({
      useExisting: opts.useStack,
      base: portBaseFromEnv(process.env, 25000),
      dataDir,
      workers: opts.workers,
      logLevel: 'warn',
      workerEnv: {},
      frontEndEnv: {},
      log,
    });
    const context = await browser.newContext({ viewport: { width: 1024, height: 768 } });
    const venue = await seedTillVenue(context, stack.frontEndUrl, { label: 'bench-till' });
    log(`seeded ${venue.products.length} products, ${venue.tabs.length} open tabs`);
    const page = await context.newPage();
    const drinks = ['Guinness · Pint', 'Guinness · Half', 'Coors Light · Pint', 'Heineken · Pint'];

    // Warm-up: the first taps pay for compiling templates and opening connections.
    const drink = (i: number): string => drinks[i % drinks.length] ?? 'Guinness · Pint';
    const first = venue.tabs[0];
    if (!first) throw new Error('the venue has no open tab');
    await page.goto(`${stack.frontEndUrl}/till?tab=${first.id}`);
    for (let i = 0; i < 5; i += 1) await timedTap(page, drink(i));

    const onTab: number[] = [];
    const quick: number[] = [];
    let tabIndex = 0;
    while (onTab.length + quick.length < opts.taps) {
      const tab = venue.tabs[tabIndex % venue.tabs.length] ?? first;
      tabIndex += 1;
      await page.goto(`${stack.frontEndUrl}/till?tab=${tab.id}`);
      for (let i = 0; i < TAPS_PER_TAB && onTab.length + quick.length < opts.taps; i += 1) onTab.push(await timedTap(page, drink(i)));
      // Paid, and a few quick-sale drinks while the till is on no tab.
      await page.click('[data-testid=pay-card]');
      await page.waitForSelector('[data-testid=paid]');
      const quickBefore = quick.length;
      for (let i = 0; i < 3 && onTab.length + quick.length < opts.taps; i += 1) quick.push(await timedTap(page, drink(i)));
      if (quick.length > quickBefore) {
        await page.click('[data-testid=pay-card]');
        await page.waitForSelector('[data-testid=paid]');
      }
      // The paid tab is gone from the strip: open another so there are always 16.
      const res = await context.request.post(`${stack.frontEndUrl}/api/v1/tabs`, {
        data: { name: `Table ${100 + tabIndex}` },
        headers: { 'x-csrf-token': venue.csrfToken },
      });
      if (res.status() !== 201) throw new Error(`open tab: ${res.status()} ${await res.text()}`);
      venue.tabs[(tabIndex - 1) % venue.tabs.length] = (await res.json()) as (typeof venue.tabs)[number];
    }
    await context.close();

    const all = summary([...onTab, ...quick]);
    const results = {
      date: new Date().toISOString(),
      machine: { cpus: cpus().length, loadAvg: loadavg().map((l) => Math.round(l * 100) / 100) },
      settings: { viewport: '1024x768', workers: opts.workers, products: venue.products.length, openTabs: venue.tabs.length, tapsPerTab: TAPS_PER_TAB },
      goal: { p95Ms: GOAL_P95_MS, met: all.p95Ms <= GOAL_P95_MS },
      all,
      onTab: summary(onTab),
      quickSale: summary(quick),
    };
    const md = [
      '# Till taps: from a tap to the order panel drawn again',
      '',
      `${results.date}, ${results.machine.cpus} CPUs, load average ${results.machine.loadAvg.join(' ')}; Chromium at 1024×768, ` +
        `${opts.workers} workers, ${results.settings.products} products, ${results.settings.openTabs} open tabs. How to read it: docs/performance.md.`,
      '',
      '| taps | count | p50 ms | p95 ms | max ms |',
      '| --- | ---: | ---: | ---: | ---: |',
      ...(
        [
          ['all', all],
          ['on a tab', results.onTab],
          ['quick sale', results.quickSale],
        ] as const
      ).map(([name, s]) => `| ${name} | ${s.taps} | ${s.p50Ms} | ${s.p95Ms} | ${s.maxMs} |`),
      '',
      `Goal: p95 under ${GOAL_P95_MS} ms: ${results.goal.met ? 'met' : 'missed'}.`,
      '',
    ].join('\n');
    mkdirSync(opts.outDir, { recursive: true });
    writeFileSync(join(opts.outDir, 'till-taps.json'), `${JSON.stringify(results, null, 2)}\n`);
    writeFileSync(join(opts.outDir, 'till-taps.md'), md);
    process.stdout.write(`\n${md}\n`);
    log(`wrote ${relative(repoRoot, join(opts.outDir, 'till-taps.md'))} and till-taps.json`);
  } finally {
    await browser.close();
    if (stack) await stack.stop();
    if (!opts.useStack) removeDataDir(dataDir);
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
