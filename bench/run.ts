/**
 * `npm run bench`: what the broker hop costs, measured against a no-broker
 * baseline in the same run. docs/performance.md says what each scenario
 * measures and how to read the results.
 *
 *   node --import tsx bench/run.ts [--quick] [options]
 *
 * Starts its own stack (STACK_PORT_BASE, default 25000; data in
 * /tmp/barback-bench-*; front end on base+60, direct baseline on base+61,
 * worker health ports base+71..) or, with --use-stack, uses the one
 * `npm run stack:up` started. Seeds a venue, drives load with autocannon in a
 * separate process (bench/load.ts; 127.0.0.1 only, bounded in time), and
 * writes bench/results/<name>.json, .svg and .md (or the same under --out),
 * and no other file of the repository. It never fails on a missed target: it
 * reports numbers.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem, tmpdir } from 'node:os';
import { basename, join, relative } from 'node:path';
import { portBaseFromEnv } from '../scripts/stack/ports.js';
import { repoRoot } from '../scripts/stack/paths.js';
import { makeCatalogue } from './lib/catalogue.js';
import { ChangeWatch, type ChangeLatencyFigure } from './lib/change-latency.js';
import { outboxPriceFigure, setOutbox, type OutboxPriceFigure } from './lib/outbox-price.js';
import type { Credentials, LoadSpec, SaleServing } from './lib/load-spec.js';
import {
  evaluateTargets,
  formatGrowth,
  formatTable,
  formatTargets,
  growthFigure,
  renderSvg,
  resultsPage,
  type BenchResults,
  type GrowthFigure,
} from './lib/report.js';
import type { DbCluster } from '@barback/db';
import { CpuMeter, type CpuPart } from './lib/cpu.js';
import { waitIdle } from './lib/idle.js';
import { RssSampler } from './lib/rss.js';
import {
  countSales,
  dbCluster,
  dbClusterOf,
  login,
  probe,
  registerVenue,
  rpcClient,
  seedCatalogue,
  seedSales,
  waitStandbyCaughtUp,
  type Account,
  type Session,
} from './lib/seed.js';
import { openStack, removeDataDir, sleep, type BenchStack } from './lib/stack.js';
import { checkReports, markdownReports, measureReports, seedReportsVenue, type ReportsFigure, type ReportsVenue } from './lib/reports.js';
import { checkReport, describeVariance, interleavedRuns, seedVarianceVenue, varianceFigure, type VarianceFigure } from './lib/variance.js';
import { cpuPerRequest, shapeScenario, type LoadOutcome, type ScenarioResult } from './lib/stats.js';

const FAMILIES = ['login', 'read', 'read-direct', 'write', 'write-direct', 'popular', 'me', 'me-direct', 'growth', 'changes', 'outbox-price', 'variance', 'reports'] as const;
type Family = (typeof FAMILIES)[number];
const DEFAULT_FAMILIES: Family[] = ['login', 'read', 'read-direct', 'write', 'write-direct', 'popular', 'growth', 'changes', 'outbox-price', 'variance', 'reports'];

interface Options {
  quick: boolean;
  durationS: number;
  warmupS: number;
  concurrency: [number, ...number[]];
  writeWorkers: number[];
  workers: number;
  only: Family[];
  useStack: boolean;
  logLevel: string;
  workerEnv: Record<string, string>;
  frontEndEnv: Record<string, string>;
  name: string;
  outDir: string;
  keepData: boolean;
  bigCatalogue: number;
  historicSales: number;
  outboxPairs: number;
}

const USAGE = `usage: node --import tsx bench/run.ts [options]
  --quick                 5 s per run, concurrency 16 and 64 only
  --duration=S --warmup=S  seconds per run / warm-up (default 15 / 3; quick 5 / 2)
  --concurrency=1,16,64   connection counts
  --write-workers=1,2,4   worker counts the write scenario is repeated with
  --workers=N             workers for every other scenario (default 2, the stack's default)
  --only=read,write,...   scenario families: ${FAMILIES.join(', ')}
  --use-stack             measure the stack \`npm run stack:up\` started instead of starting one
  --log-level=L           LOG_LEVEL of the front end, workers and direct server (default info)
  --worker-env=K=V        extra worker (and direct server) environment, repeatable (e.g. WORKER_PREFETCH=10)
  --front-end-env=K=V     extra front-end environment, repeatable
  --name=N                result file names N.{json,svg,md} (default latest)
  --out=DIR               result directory (default bench/results; runs that change any option
                          other than --quick, --use-stack and --keep-data go to bench/results/scratch.tmp,
                          which git ignores, so that only a standard run replaces latest.*)
  --keep-data             keep the own stack's data dir in /tmp
  --big-catalogue=N       products of the growth venue (default 2000)
  --historic-sales=N      sales inserted before the growth write run (default 100000)
  --outbox-pairs=N        A/B pairs of write runs with and without the outbox (default 3)`;

function parseList(v: string): [number, ...number[]] {
  const [first, ...rest] = v.split(',').map((x) => Number(x.trim()));
  if (first === undefined || [first, ...rest].some((n) => !Number.isInteger(n) || n < 1)) throw new Error(`bad list: ${v}`);
  return [first, ...rest];
}

function parseArgs(argv: string[]): Options {
  const flags = new Map<string, string[]>();
  for (const arg of argv) {
    if (arg === '-h' || arg === '--help') {
      process.stdout.write(USAGE + '\n');
      process.exit(0);
    }
    const m = /^--([a-z-]+)(?:=(.*))?$/.exec(arg);
    const name = m?.[1];
    if (name === undefined) throw new Error(`unknown argument ${arg}\n${USAGE}`);
    flags.set(name, [...(flags.get(name) ?? []), m?.[2] ?? 'true']);
  }
  const one = (k: string): string | undefined => flags.get(k)?.at(-1);
  const known = new Set(['quick', 'duration', 'warmup', 'concurrency', 'write-workers', 'workers', 'only', 'use-stack', 'log-level', 'worker-env', 'front-end-env', 'name', 'out', 'keep-data', 'big-catalogue', 'historic-sales', 'outbox-pairs']);
  for (const k of flags.keys()) if (!known.has(k)) throw new Error(`unknown option --${k}\n${USAGE}`);
  const env = (k: string): Record<string, string> =>
    Object.fromEntries(
      (flags.get(k) ?? []).map((kv) => {
        const i = kv.indexOf('=');
        if (i < 1) throw new Error(`--${k} takes K=V, got ${kv}`);
        return [kv.slice(0, i), kv.slice(i + 1)];
      }),
    );
  const quick = flags.has('quick');
  const onlyFlag = one('only');
  const only = onlyFlag
    ? onlyFlag.split(',').map((f) => {
        if (!(FAMILIES as readonly string[]).includes(f)) throw new Error(`unknown scenario family ${f}; one of ${FAMILIES.join(', ')}`);
        return f as Family;
      })
    : DEFAULT_FAMILIES;
  const durationS = Number(one('duration') ?? (quick ? 5 : 15));
  const warmupS = Number(one('warmup') ?? (quick ? 2 : 3));
  if (!(durationS >= 1 && durationS <= 60)) throw new Error('--duration must be from 1 to 60 s');
  if (!(warmupS >= 0 && warmupS <= 30)) throw new Error('--warmup must be from 0 to 30 s');
  // Only a standard run (full or quick) replaces bench/results/latest.*;
  // any other option makes it an experiment, written to scratch.tmp.
  const standard = new Set(['quick', 'use-stack', 'keep-data', 'name', 'out']);
  const partial = [...flags.keys()].some((k) => !standard.has(k));
  return {
    quick,
    durationS,
    warmupS,
    concurrency: parseList(one('concurrency') ?? (quick ? '16,64' : '1,16,64')),
    writeWorkers: parseList(one('write-workers') ?? '1,2,4'),
    workers: Number(one('workers') ?? 2),
    only,
    useStack: flags.has('use-stack'),
    logLevel: one('log-level') ?? 'info',
    workerEnv: env('worker-env'),
    frontEndEnv: env('front-end-env'),
    name: one('name') ?? 'latest',
    outDir: one('out') ?? join(repoRoot, 'bench', 'results', partial ? 'scratch.tmp' : ''),
    keepData: flags.has('keep-data'),
    bigCatalogue: Number(one('big-catalogue') ?? 2000),
    historicSales: Number(one('historic-sales') ?? 100_000),
    outboxPairs: Number(one('outbox-pairs') ?? 3),
  };
}

const started = Date.now();
function log(line: string): void {
  process.stdout.write(`[bench ${((Date.now() - started) / 1000).toFixed(1).padStart(6)}s] ${line}\n`);
}

/** Runs bench/load.ts in a child process and samples the servers' memory and CPU meanwhile. */
async function runLoad(
  spec: LoadSpec,
  ctx: Context,
  pids: { frontEnd: number | null; workers: number[]; direct: number | null },
): Promise<{
  outcome: LoadOutcome;
  rss: { frontEndMb: number | null; workersMb: number[]; directMb: number | null };
  cpuMs: Record<CpuPart, number>;
}> {
  const file = join(ctx.specDir, `spec-${Date.now()}.json`);
  writeFileSync(file, JSON.stringify(spec));
  const all = [pids.frontEnd, pids.direct, ...pids.workers].filter((p): p is number => p !== null);
  const sampler = new RssSampler(all);
  let loadPid: number | null = null;
  const standbyMember = await standbyName(ctx);
  const meter = new CpuMeter(ctx.stack.paths.pidDir, ctx.stack.paths.postgresDir, () => ({ ...pids, loadGenerator: loadPid, standbyMember }));
  meter.begin();
  sampler.start();
  const hardLimitMs = (spec.durationS + spec.warmupS + spec.timeoutS + 30) * 1000;
  let stdout = '';
  let failure: Error | null = null;
  try {
    stdout = await new Promise<string>((resolve, reject) => {
      const child = execFile(
        process.execPath,
        ['--import', 'tsx', join('bench', 'load.ts'), file],
        { cwd: repoRoot, timeout: hardLimitMs, killSignal: 'SIGKILL', maxBuffer: 16 * 1024 * 1024 },
        (err, out, errOut) => (err ? reject(new Error(`load generator failed: ${err.message}\n${errOut}`)) : resolve(out)),
      );
      loadPid = child.pid ?? null;
    });
  } catch (err) {
    failure = err as Error;
  }
  const cpuMs = meter.end();
  const peaks = sampler.stop();
  if (failure) throw failure;
  const rss = {
    frontEndMb: pids.frontEnd === null ? null : peaks.get(pids.frontEnd) ?? null,
    workersMb: pids.workers.map((p) => peaks.get(p) ?? 0),
    directMb: pids.direct === null ? null : peaks.get(pids.direct) ?? null,
  };
  const last = stdout.trim().split('\n').at(-1) ?? '';
  const outcome = JSON.parse(last) as LoadOutcome;
  // The child is gone from /proc by now: it reports its own CPU time.
  cpuMs.loadGenerator = outcome.cpuMs ?? 0;
  return { outcome, rss, cpuMs };
}

interface Context {
  opts: Options;
  stack: BenchStack;
  db: DbCluster;
  specDir: string;
  scenarios: ScenarioResult[];
  skipped: string[];
}

async function scenario(
  ctx: Context,
  run: { name: string; concurrency: number; target: 'front-end' | 'direct'; url: string; note?: string },
  spec: Omit<LoadSpec, 'url' | 'connections' | 'durationS' | 'warmupS' | 'timeoutS'>,
): Promise<ScenarioResult> {
  const { opts, stack } = ctx;
  const direct = run.target === 'direct';
  const workers = direct ? [] : stack.workerPids();
  const everyone = [stack.frontEndPid(), stack.directPid(), ...stack.workerPids()].filter((p): p is number => p !== null);
  if (!(await waitIdle(ctx.db, everyone))) log('warning: the previous run still had work in hand after 60 s');
  const deadlocksBefore = await deadlocks(ctx.db);
  const { outcome, rss, cpuMs } = await runLoad(
    { ...spec, url: run.url, connections: run.concurrency, durationS: opts.durationS, warmupS: opts.warmupS, timeoutS: 30 },
    ctx,
    { frontEnd: direct ? null : stack.frontEndPid(), workers, direct: direct ? stack.directPid() : null },
  );
  const result = shapeScenario(
    { name: run.name, concurrency: run.concurrency, workers: direct ? null : workers.length, ...(run.note ? { note: run.note } : {}) },
    outcome,
    rss,
  );
  result.cpuMsPerRequest = cpuPerRequest(cpuMs, outcome);
  await sleep(600); // the statistics collector publishes a backend's counts within ~0.5 s
  const deadlocksAfter = await deadlocks(ctx.db);
  if (deadlocksBefore !== null && deadlocksAfter !== null) result.deadlocks = deadlocksAfter - deadlocksBefore;
  result.loadAvg1 = Math.round((loadavg()[0] ?? 0) * 100) / 100;
  ctx.scenarios.push(result);
  const codes = Object.entries(outcome.statusCodes)
    .filter(([c]) => !c.startsWith('2'))
    .map(([c, n]) => `${c}×${n}`)
    .join(' ');
  log(
    `${run.name.padEnd(22)} c=${String(run.concurrency).padEnd(3)} w=${result.workers ?? '-'}  ${result.rps.toFixed(0).padStart(6)} req/s  ` +
      `p50 ${result.p50Ms ?? '-'} ms  p99 ${result.p99Ms ?? '-'} ms  max ${result.maxMs ?? '-'} ms  errors ${result.errors}${codes ? ` (${codes})` : ''}` +
      (result.deadlocks ? `  deadlocks ${result.deadlocks}` : '') +
      `${outcome.timeouts ? ` timeouts ${outcome.timeouts}` : ''}  load ${result.loadAvg1}`,
  );
  return result;
}

/** Name (pg1/pg2) of the member the workers read from, as the database cluster sees it now. */
async function standbyName(ctx: Context): Promise<string | null> {
  await ctx.db.standby().catch(() => undefined);
  const key = ctx.db.roles().standby;
  return ctx.stack.info.postgres.find((p) => key === `${p.host}:${p.port}`)?.name ?? null;
}

/** Deadlocks PostgreSQL has detected in the database so far (null if it cannot tell). */
async function deadlocks(db: DbCluster): Promise<number | null> {
  try {
    const pool = await db.primary();
    const { rows } = await pool.query<{ n: string }>('SELECT deadlocks AS n FROM pg_stat_database WHERE datname = current_database()');
    return Number(rows[0]?.n ?? 0);
  } catch {
    return null;
  }
}

function getSpec(path: string, session: Session): Omit<LoadSpec, 'url' | 'connections' | 'durationS' | 'warmupS' | 'timeoutS'> {
  return { kind: 'get', method: 'GET', path, headers: { cookie: session.cookie } };
}

function saleSpec(servings: SaleServing[], headers: Record<string, string>): Omit<LoadSpec, 'url' | 'connections' | 'durationS' | 'warmupS' | 'timeoutS'> {
  return { kind: 'sale', method: 'POST', path: '/api/v1/sales', headers, servings, linesPerSale: 3 };
}

function frontEndWriteHeaders(session: Session): Record<string, string> {
  return { cookie: session.cookie, 'x-csrf-token': session.csrfToken };
}

function machineInfo(): BenchResults['machine'] & { loadAvgStart: number[] } {
  const cpuList = cpus();
  return {
    cpus: cpuList.length,
    node: process.version,
    date: new Date().toISOString(),
    cpuModel: cpuList[0]?.model ?? 'unknown',
    memGb: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    loadAvgStart: loadavg().map((l) => Math.round(l * 100) / 100),
  };
}

async function main(): Promise<void> {
  const opts = parseArgs(process.argv.slice(2));
  const machine = machineInfo();
  const base = portBaseFromEnv(process.env, 25000);
  if (base >= 41000 && base <= 46000 && !opts.useStack) log(`warning: port base ${base} is in the range other stacks use`);
  const dataDir = process.env['BENCH_DATA_DIR'] || `/tmp/barback-bench-${Date.now().toString(36)}`;
  const specDir = mkdtempSync(join(tmpdir(), 'barback-bench-load-'));
  const has = (f: Family): boolean => opts.only.includes(f);
  log(
    `${opts.quick ? 'quick' : 'full'} run: ${opts.durationS} s per run after ${opts.warmupS} s warm-up, connections ${opts.concurrency.join('/')}, ` +
      `load average ${machine.loadAvgStart.join(' ')}`,
  );

  let stack: BenchStack;
  try {
    stack = await openStack({
      useExisting: opts.useStack,
      base,
      dataDir,
      workers: opts.workers,
      logLevel: opts.logLevel,
      workerEnv: opts.workerEnv,
      frontEndEnv: opts.frontEndEnv,
      log,
    });
  } catch (err) {
    rmSync(specDir, { recursive: true, force: true });
    if (!opts.useStack && !opts.keepData) removeDataDir(dataDir);
    throw err;
  }
  const growth: GrowthFigure[] = [];
  const changes: ChangeLatencyFigure[] = [];
  let outboxPrice: OutboxPriceFigure | null = null;
  let variance: VarianceFigure | null = null;
  let reports: ReportsFigure | null = null;
  const rpc = rpcClient(stack.info);
  const db = dbCluster(stack.info);
  const ctx: Context = { opts, stack, db, specDir, scenarios: [], skipped: [] };
  // Set by the signal handler while main awaits: read through a call, so that
  // TypeScript does not narrow it to its initial false.
  let stopping = false;
  const interrupted = (): boolean => stopping;
  const onSignal = (sig: NodeJS.Signals): void => {
    if (stopping) return;
    stopping = true;
    log(`${sig}: stopping what the benchmark started`);
    void Promise.allSettled([rpc.close(), db.close()])
      .then(() => stack.stop())
      .finally(() => process.exit(130));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  try {
    await rpc.waitForConnect();
    const fe = stack.frontEndUrl;
    const tag = Date.now().toString(36);
    const password = `bench password ${tag}`;
    // The venue every read and write works on; three more accounts share the login storm.
    const manager: Account = await registerVenue(fe, `Bench Bar ${tag}`, `bench-${tag}@example.ie`, password);
    const logins: Credentials[] = [{ email: manager.email, password }];
    if (has('login')) {
      for (let i = 2; i <= 4; i++) {
        const a = await registerVenue(fe, `Bench Bar ${tag} ${i}`, `bench-${tag}-${i}@example.ie`, password);
        logins.push({ email: a.email, password });
      }
    }
    const actor = { staffId: manager.staffId, venueId: manager.venueId };
    const session = await login(fe, manager.email, password);
    const catalogueStarted = Date.now();
    const servings = await seedCatalogue(rpc, actor, makeCatalogue(60));
    log(`seeded venue ${manager.venueId}: 60 products, ${servings.length} servings (${((Date.now() - catalogueStarted) / 1000).toFixed(1)} s)`);

    // Check the routes once before loading them.
    const readRoute = await probe(`${fe}/api/v1/products`, { headers: { cookie: session.cookie } });
    const readOk = readRoute.status === 200;
    if (!readOk) ctx.skipped.push(`read: GET /api/v1/products answered ${readRoute.status} ${readRoute.body.slice(0, 200)}`);
    const [firstServing] = servings;
    if (!firstServing) throw new Error('the seeded catalogue has no servings');
    const writeRoute = await probe(`${fe}/api/v1/sales`, {
      method: 'POST',
      headers: { ...frontEndWriteHeaders(session), 'content-type': 'application/json', 'idempotency-key': `probe-${tag}` },
      body: JSON.stringify({ lines: [{ servingId: firstServing.id, quantity: 1 }], payments: [{ method: 'card', amountCents: firstServing.priceCents }] }),
    });
    const writeOk = writeRoute.status >= 200 && writeRoute.status < 300;
    if (!writeOk) ctx.skipped.push(`write: POST /api/v1/sales answered ${writeRoute.status} ${writeRoute.body.slice(0, 200)}`);

    let directUrl: string | null = null;
    if (has('read-direct') || has('write-direct') || has('popular') || has('me-direct') || has('growth')) {
      try {
        directUrl = await stack.startDirect(actor);
      } catch (err) {
        ctx.skipped.push(`direct baseline: ${(err as Error).message.split('\n').slice(0, 6).join(' | ')}`);
      }
    }

    const fam = async (family: Family, fn: (c: number) => Promise<unknown>): Promise<void> => {
      if (!has(family) || interrupted()) return;
      for (const c of opts.concurrency) await fn(c);
    };
    await fam('login', (c) =>
      scenario(ctx, { name: 'login', concurrency: c, target: 'front-end', url: fe }, {
        kind: 'login', method: 'POST', path: '/api/v1/login', headers: {}, logins,
      }),
    );
    await fam('me', (c) => scenario(ctx, { name: 'me', concurrency: c, target: 'front-end', url: fe }, getSpec('/api/v1/me', session)));
    if (directUrl) {
      const d = directUrl;
      await fam('me-direct', (c) => scenario(ctx, { name: 'me-direct', concurrency: c, target: 'direct', url: d }, getSpec('/api/v1/me', session)));
    }
    if (readOk) await fam('read', (c) => scenario(ctx, { name: 'read', concurrency: c, target: 'front-end', url: fe }, getSpec('/api/v1/products', session)));
    if (directUrl) {
      const d = directUrl;
      await fam('read-direct', (c) => scenario(ctx, { name: 'read-direct', concurrency: c, target: 'direct', url: d }, getSpec('/api/v1/products', session)));
    }
    if (writeOk && has('write')) {
      const counts = stack.canSetWorkers() ? [opts.workers, ...opts.writeWorkers.filter((w) => w !== opts.workers)] : [stack.workerPids().length];
      for (const w of counts) {
        if (interrupted()) break;
        if (stack.canSetWorkers()) await stack.setWorkers(w);
        for (const c of opts.concurrency) {
          await scenario(ctx, { name: 'write', concurrency: c, target: 'front-end', url: fe }, saleSpec(servings, frontEndWriteHeaders(session)));
        }
      }
      if (stack.canSetWorkers()) await stack.setWorkers(opts.workers);
    }
    if (directUrl) {
      const d = directUrl;
      await fam('write-direct', (c) => scenario(ctx, { name: 'write-direct', concurrency: c, target: 'direct', url: d }, saleSpec(servings, {})));
    }
    if (has('popular') && !interrupted()) {
      // Every sale includes the same serving, as when the whole bar orders the
      // same pint: it showed sales queueing on that product's stock row until
      // they appended stock moves instead (migration 0006).
      const pc = opts.concurrency.includes(16) ? 16 : opts.concurrency[0];
      const note = 'every sale includes the same serving';
      if (writeOk) {
        await scenario(ctx, { name: 'write-popular-product', concurrency: pc, target: 'front-end', url: fe, note }, {
          ...saleSpec(servings, frontEndWriteHeaders(session)),
          popularServing: 0,
        });
      }
      if (directUrl && !interrupted()) {
        await scenario(ctx, { name: 'write-direct-popular-product', concurrency: pc, target: 'direct', url: directUrl, note }, {
          ...saleSpec(servings, {}),
          popularServing: 0,
        });
      }
    }
    if (has('changes') && writeOk && !interrupted()) {
      // Commit → stream and commit → SSE while the write scenario runs, at 16 and 64 connections (issue 16).
      for (const c of [16, 64]) {
        if (interrupted()) break;
        const watch = new ChangeWatch({ amqpUrls: stack.info.amqpUrls, frontEndUrl: fe, cookie: session.cookie, venueId: manager.venueId });
        try {
          await watch.start();
          const salesOut = join(specDir, `sales-${c}.json`);
          await scenario(ctx, { name: 'write-watched', concurrency: c, target: 'front-end', url: fe, note: 'a stream reader and an SSE connection watch' }, {
            ...saleSpec(servings, frontEndWriteHeaders(session)),
            salesOut,
          });
          const replies = JSON.parse(readFileSync(salesOut, 'utf8')) as [string, number][];
          const figure = await watch.figure(c, replies);
          changes.push(figure);
          log(
            `commit → stream c=${c}: p50 ${figure.stream.p50Ms} ms p99 ${figure.stream.p99Ms} ms (${figure.stream.matched}/${figure.sales}); ` +
              `commit → SSE: p50 ${figure.sse.p50Ms} ms p99 ${figure.sse.p99Ms} ms (${figure.sse.matched}/${figure.sales})`,
          );
        } catch (err) {
          ctx.skipped.push(`changes c=${c}: ${(err as Error).message}`);
        } finally {
          await watch.stop();
        }
      }
    }
    if (has('outbox-price') && writeOk && !interrupted()) {
      // The same write run with the outbox and without it (a trigger set by the bench drops the rows), in
      // alternating order (AB, BA, ...) on this one stack, so that both see the same machine.
      const c = 16;
      const pairs: { withRps: number; withoutRps: number }[] = [];
      const primary = await db.primary();
      try {
        for (let i = 0; i < opts.outboxPairs && !interrupted(); i += 1) {
          const order: boolean[] = i % 2 === 0 ? [true, false] : [false, true];
          const pair = { withRps: 0, withoutRps: 0 };
          for (const on of order) {
            await setOutbox(primary, on);
            const r = await scenario(
              ctx,
              { name: on ? 'write-outbox-on' : 'write-outbox-off', concurrency: c, target: 'front-end', url: fe, note: `A/B pair ${i + 1}` },
              saleSpec(servings, frontEndWriteHeaders(session)),
            );
            if (on) pair.withRps = r.rps;
            else pair.withoutRps = r.rps;
          }
          pairs.push(pair);
        }
      } finally {
        await setOutbox(primary, true);
      }
      outboxPrice = outboxPriceFigure(c, pairs);
      log(`outbox price: write throughput with / without the outbox ${outboxPrice.ratioMedian} (range ${outboxPrice.ratioMin}–${outboxPrice.ratioMax})`);
    }
    if (has('variance') && !interrupted()) {
      // getVarianceReport (issue 17): 300 products, 20,000 sales in the period, one request at a time; A: no sales before
      // the period, B: 20,000 before the previous stocktake, measured in alternating pairs (bench/lib/variance.ts).
      const seed = { frontEndUrl: fe, rpc, db, password, products: 300, salesInPeriod: 20_000, log };
      const without = await seedVarianceVenue({ ...seed, venueName: `Bench Variance ${tag}`, email: `bench-var-${tag}@example.ie`, salesBefore: 0 });
      const withBefore = await seedVarianceVenue({ ...seed, venueName: `Bench Variance History ${tag}`, email: `bench-var-h-${tag}@example.ie`, salesBefore: 20_000 });
      await waitStandbyCaughtUp(db);
      const problem = (await checkReport(fe, without)) ?? (await checkReport(fe, withBefore));
      if (problem) ctx.skipped.push(`variance: ${problem}`);
      else {
        // One autocannon run each (the table's row, with CPU per request), then 100 alternating pairs of single requests.
        const spec = (v: typeof without) => getSpec(`/api/v1/stocktakes/${v.stocktakeId}/variance`, v.session);
        const a = await scenario(ctx, { name: 'variance-300p-0-before', concurrency: 1, target: 'front-end', url: fe, note: '20,000 sales in the period' }, spec(without));
        const b = await scenario(ctx, { name: 'variance-300p-20k-before', concurrency: 1, target: 'front-end', url: fe, note: 'and 20,000 before it' }, spec(withBefore));
        if (!interrupted()) {
          variance = varianceFigure({ without, with: withBefore }, await interleavedRuns(fe, without, withBefore, opts.quick ? 40 : 100), { without: a, with: b });
          log(describeVariance(variance));
        }
      }
    }
    if (has('growth') && !interrupted()) {
      // Each figure is a pair of runs made back to back, so that both halves see the same machine.
      const c = opts.concurrency.includes(1) ? 1 : opts.concurrency[0];
      const big = opts.bigCatalogue;
      // Read: listProducts for the venue of 60 products, then for one of 2,000 (and the same without the broker).
      if (readOk) {
        const bigAccount = await registerVenue(fe, `Bench Big Bar ${tag}`, `bench-big-${tag}@example.ie`, password);
        const bigActor = { staffId: bigAccount.staffId, venueId: bigAccount.venueId };
        const t0 = Date.now();
        await seedCatalogue(rpc, bigActor, makeCatalogue(big));
        log(`seeded a venue of ${big} products (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
        await waitStandbyCaughtUp(db);
        const small = await scenario(ctx, { name: 'read-60-products', concurrency: c, target: 'front-end', url: fe }, getSpec('/api/v1/products', session));
        const large = await scenario(ctx, { name: `read-${big}-products`, concurrency: c, target: 'front-end', url: fe }, getSpec('/api/v1/products', bigAccount));
        growth.push(growthFigure('read (listProducts)', 'products', { size: 60, result: small }, { size: big, result: large }));
        if (directUrl) {
          const d = directUrl;
          const smallD = await scenario(ctx, { name: 'read-direct-60-products', concurrency: c, target: 'direct', url: d }, getSpec('/api/v1/products', session));
          const largeD = await scenario(
            ctx,
            { name: `read-direct-${big}-products`, concurrency: c, target: 'direct', url: d },
            { ...getSpec('/api/v1/products', bigAccount), headers: { 'x-actor': `${bigActor.staffId}:${bigActor.venueId}` } },
          );
          growth.push(growthFigure('read-direct (listProducts, no broker)', 'products', { size: 60, result: smallD }, { size: big, result: largeD }));
        }
      }
      // Write: recordSale just before and just after 100,000 more sales are in the database.
      if (writeOk && !interrupted()) {
        const wc = opts.concurrency.includes(16) ? 16 : c;
        const k = `${Math.round(opts.historicSales / 1000)}k`;
        const before = await countSales(db);
        const small = await scenario(
          ctx,
          { name: `write-before-${k}-sales`, concurrency: wc, target: 'front-end', url: fe, note: `${before} sales in the database` },
          saleSpec(servings, frontEndWriteHeaders(session)),
        );
        log(`inserting ${opts.historicSales.toLocaleString('en')} historic sales into the bench venue (SQL on the primary)`);
        await seedSales(db, actor, opts.historicSales, log);
        await waitStandbyCaughtUp(db);
        const after = await countSales(db);
        const large = await scenario(
          ctx,
          { name: `write-after-${k}-sales`, concurrency: wc, target: 'front-end', url: fe, note: `${after} sales in the database` },
          saleSpec(servings, frontEndWriteHeaders(session)),
        );
        growth.push(growthFigure('write (recordSale)', 'sales', { size: before, result: small }, { size: after, result: large }));
      }
    }
    if (has('reports') && !interrupted()) {
      // The cash-up and VAT reports (issue 19): a year of 10,000 sales against one of 150,000, each action in alternating
      // single requests (bench/lib/reports.ts). The last whole calendar year, seeded from 3 connections; after growth, so
      // that its counts of the sales in the database stay what they were.
      const year = new Date().getUTCFullYear() - 1;
      const seedDb = dbClusterOf(stack.info, 3);
      let venues: [ReportsVenue, ReportsVenue];
      try {
        const seed = { frontEndUrl: fe, rpc, db: seedDb, password, year, connections: 3, log };
        venues = [
          await seedReportsVenue({ ...seed, venueName: `Bench Reports ${tag}`, email: `bench-rep-${tag}@example.ie`, sales: 10_000 }),
          await seedReportsVenue({ ...seed, venueName: `Bench Reports Busy ${tag}`, email: `bench-rep-busy-${tag}@example.ie`, sales: 150_000 }),
        ];
      } finally {
        await seedDb.close().catch(() => undefined);
      }
      await waitStandbyCaughtUp(db);
      const [small, big] = venues;
      const problem = (await checkReports(fe, db, small, year)) ?? (await checkReports(fe, db, big, year));
      if (problem) ctx.skipped.push(`reports: ${problem}`);
      else if (!interrupted()) {
        reports = await measureReports(fe, small, big, year, opts.quick ? 20 : 50, log);
        process.stdout.write(`\n${markdownReports(reports)}\n\n`);
      }
    }
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await rpc.close().catch(() => undefined);
    await db.close().catch(() => undefined);
    rmSync(specDir, { recursive: true, force: true });
    if (!interrupted()) {
      log(stack.own ? 'stopping the stack' : 'stopping the direct server (the stack keeps running)');
      await stack.stop();
      if (stack.own && !opts.keepData) removeDataDir(dataDir);
      else if (stack.own) log(`data and logs kept in ${dataDir}`);
    }
  }

  machine.loadAvgEnd = loadavg().map((l) => Math.round(l * 100) / 100);
  const results: BenchResults = {
    machine,
    mode: opts.quick ? 'quick' : 'full',
    settings: {
      command: `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`,
      durationS: opts.durationS,
      warmupS: opts.warmupS,
      concurrency: opts.concurrency,
      workers: opts.workers,
      writeWorkers: opts.writeWorkers,
      logLevel: opts.logLevel,
      workerEnv: opts.workerEnv,
      frontEndEnv: opts.frontEndEnv,
      stack: stack.own ? `own (port base ${base})` : `existing (${stack.paths.dataDir})`,
      loadGenerator: 'autocannon (separate process), 127.0.0.1 only',
      skipped: ctx.skipped,
    },
    scenarios: ctx.scenarios,
    growth,
    targets: evaluateTargets(ctx.scenarios, opts.workers),
    ...(changes.length ? { changes } : {}),
    ...(outboxPrice ? { outboxPrice } : {}),
    ...(variance ? { variance } : {}),
    ...(reports ? { reports } : {}),
  };

  process.stdout.write(`\n${formatTable(results.scenarios)}\n\n${formatTargets(results.targets)}\n`);
  if (growth.length) process.stdout.write(`\n${formatGrowth(growth)}\n`);
  for (const s of ctx.skipped) process.stdout.write(`skipped ${s}\n`);
  mkdirSync(opts.outDir, { recursive: true });
  const stem = join(opts.outDir, opts.name);
  writeFileSync(`${stem}.json`, JSON.stringify(results, null, 2) + '\n');
  writeFileSync(`${stem}.svg`, renderSvg(results));
  writeFileSync(`${stem}.md`, resultsPage(results, { chart: `${basename(stem)}.svg`, guide: relative(opts.outDir, join(repoRoot, 'docs', 'performance.md')) }));
  process.stdout.write(`\nwrote ${[`${stem}.json`, `${stem}.svg`, `${stem}.md`].map((f) => relative(repoRoot, f)).join(', ')}\n`);
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`bench: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
    process.exit(1);
  },
);
