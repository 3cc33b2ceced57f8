/**
 * The cash-up and VAT reports' figures (issue 19): shifts.getXReport,
 * shifts.closeShift, vat.getVatReturn and vat.getTradingDetails through the
 * front end and the broker, for a pub with a year of 150,000 sales against
 * one with 10,000, measured in alternating A/B single requests so both see
 * the same machine however its load drifts (bench/lib/variance.ts does the
 * same). The targets: p50 ≤ 100 ms each, and the busy pub no more
 * than 20% slower than the quiet one.
 *
 * Seeding, none of it measured: the venue, its manager and its products go
 * through the real write paths. The year goes in with SQL (bench/lib/seed.ts):
 * a closed shift per calendar day, the sales in the day's shift with mixed
 * cash, card and split payments, then about 1% of them refunded. The
 * triggers of migrations 0019 and 0020 keep the per-shift and per-day totals
 * as they do for the till, and the sales go in from several connections so
 * the totals' slots spread as a busy night's tills spread them. Then a shift
 * is started through the API and a night's sales rung into it, for the X.
 */
import { loadavg } from 'node:os';
import type { Actor, RpcClient } from '@barback/messaging';
import type { DbCluster } from '@barback/db';
import { makeCatalogue } from './catalogue.js';
import type { SaleServing } from './load-spec.js';
import { insertRefunds, insertShiftSales, insertYearOfShifts, registerVenue, seedCatalogue, type Account, type TradingDay } from './seed.js';
import { percentile, round } from './stats.js';

/** The reports measured, in the order they are: the close last, as it closes tonight's shift, which the X reads. */
export const REPORT_ACTIONS = ['shifts.getXReport', 'vat.getVatReturn', 'vat.getTradingDetails', 'shifts.closeShift'] as const;
export type ReportAction = (typeof REPORT_ACTIONS)[number];

/** The targets. */
export const P50_TARGET_MS = 100;
export const GROWTH_TARGET = 1.2;

export interface ReportsVenue {
  account: Account;
  actor: Actor;
  servings: SaleServing[];
  /** Sales seeded over the year (tonight's not counted). */
  sales: number;
  refunds: number;
  /** Rows of vat_day_totals for the year: what the RTD adds up, the same for both venues when the slots spread alike. */
  dayTotalsRows: number;
}

export interface ReportsSeed {
  frontEndUrl: string;
  rpc: RpcClient;
  /** A cluster whose primary pool has at least `connections` connections. */
  db: DbCluster;
  venueName: string;
  email: string;
  password: string;
  sales: number;
  year: number;
  connections: number;
  log: (line: string) => void;
}

const headers = (a: Account, write: boolean): Record<string, string> =>
  write ? { cookie: a.cookie, 'x-csrf-token': a.csrfToken, 'content-type': 'application/json' } : { cookie: a.cookie };

let keys = 0;
async function send(frontEndUrl: string, a: Account, method: 'GET' | 'POST', path: string, body?: unknown): Promise<{ status: number; text: string }> {
  const res = await fetch(`${frontEndUrl}${path}`, {
    method,
    headers: { ...headers(a, method === 'POST'), ...(method === 'POST' ? { 'idempotency-key': `bench-reports-${Date.now()}-${(keys += 1)}` } : {}) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    signal: AbortSignal.timeout(30_000),
  });
  return { status: res.status, text: await res.text() };
}

/** `items` cut into `parts` runs of neighbouring items, as even as can be. */
export function splitEven<T>(items: T[], parts: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < parts; i += 1) out.push(items.slice(Math.round((i * items.length) / parts), Math.round(((i + 1) * items.length) / parts)));
  return out.filter((p) => p.length > 0);
}

/** `total` shared among `parts` whole numbers that differ by at most one. */
export function shareOut(total: number, parts: number): number[] {
  return Array.from({ length: parts }, (_, i) => Math.floor(total / parts) + (i < total % parts ? 1 : 0));
}

/** Starts a shift through the API; 409 (one is open already) is fine: the next close closes that one. */
async function startShift(frontEndUrl: string, a: Account): Promise<string | null> {
  const r = await send(frontEndUrl, a, 'POST', '/api/v1/shifts', { floatCents: 20_000 });
  if (r.status === 201) return (JSON.parse(r.text) as { id: string }).id;
  if (r.status === 409) return null;
  throw new Error(`POST /api/v1/shifts answered ${r.status} ${r.text.slice(0, 200)}`);
}

async function quickSale(frontEndUrl: string, v: ReportsVenue, i: number): Promise<void> {
  const s = v.servings[i % v.servings.length];
  if (!s) throw new Error('the venue has no servings');
  const r = await send(frontEndUrl, v.account, 'POST', '/api/v1/sales', {
    lines: [{ servingId: s.id, quantity: 1 }],
    payments: [{ method: i % 2 ? 'card' : 'cash', amountCents: s.priceCents }],
  });
  if (r.status < 200 || r.status > 299) throw new Error(`POST /api/v1/sales answered ${r.status} ${r.text.slice(0, 200)}`);
}

/**
 * A venue with `sales` sales over the calendar year `year`, a shift a day,
 * about 1% refunded, and a shift open now with a night's share of them.
 */
export async function seedReportsVenue(s: ReportsSeed): Promise<ReportsVenue> {
  const t0 = Date.now();
  const account = await registerVenue(s.frontEndUrl, s.venueName, s.email, s.password);
  const actor = { staffId: account.staffId, venueId: account.venueId };
  const servings = await seedCatalogue(s.rpc, actor, makeCatalogue(60));
  const pool = await s.db.primary();
  const days = await insertYearOfShifts(pool, actor, s.year);
  // Each round, every connection writes its own run of days (no two statements
  // wait on each other's totals rows); the runs move to the next connection
  // each round, so every day's totals land in several slots.
  const clients = await Promise.all(Array.from({ length: s.connections }, () => pool.connect()));
  try {
    const runs = splitEven(days, clients.length);
    const counts = shareOut(s.sales, runs.length * runs.length);
    for (let round_ = 0; round_ < runs.length; round_ += 1) {
      const t1 = Date.now();
      await Promise.all(
        clients.slice(0, runs.length).map((c, i) => insertShiftSales(c, actor, runs[(i + round_) % runs.length] as TradingDay[], counts[round_ * runs.length + i] ?? 0)),
      );
      s.log(`  ${s.venueName}: round ${round_ + 1}/${runs.length} of the year's sales (${((Date.now() - t1) / 1000).toFixed(1)} s)`);
    }
    await Promise.all(
      runs.map((run, i) => {
        const first = run[0];
        const last = run.at(-1);
        return first && last ? insertRefunds(clients[i] ?? pool, actor, first.from, last.to, 0.01) : Promise.resolve();
      }),
    );
  } finally {
    for (const c of clients) c.release();
  }
  // Tonight: a shift started through the API, a night's share of the sales rung into it.
  const shiftId = await startShift(s.frontEndUrl, account);
  if (!shiftId) throw new Error(`${s.venueName} had a shift open before tonight's`);
  const now = Date.now();
  await insertShiftSales(pool, actor, [{ shiftId, from: new Date(now - 5 * 3_600_000), to: new Date(now - 60_000) }], Math.round(s.sales / 365));
  await pool.query('ANALYZE tabs, tab_lines, payments, refunds, refund_lines, shifts, shift_totals, shift_rate_totals, shift_method_totals, vat_day_totals');
  const { rows } = await pool.query<{ sales: number; refunds: number; day_rows: number }>(
    `SELECT (SELECT count(*) FROM tabs t JOIN shifts s ON s.id = t.shift_id WHERE t.venue_id = $1 AND t.status = 'closed' AND s.closed_at IS NOT NULL)::int AS sales,
            (SELECT count(*) FROM refunds WHERE venue_id = $1)::int AS refunds,
            (SELECT count(*) FROM vat_day_totals WHERE venue_id = $1 AND day BETWEEN make_date($2, 1, 1) AND make_date($2, 12, 31))::int AS day_rows`,
    [actor.venueId, s.year],
  );
  const venue = { account, actor, servings, sales: rows[0]?.sales ?? 0, refunds: rows[0]?.refunds ?? 0, dayTotalsRows: rows[0]?.day_rows ?? 0 };
  s.log(
    `seeded reports venue ${actor.venueId}: ${venue.sales.toLocaleString('en')} sales over ${days.length} shifts of ${s.year}, ` +
      `${venue.refunds.toLocaleString('en')} refunds, ${venue.dayTotalsRows.toLocaleString('en')} VAT day-total rows (${((Date.now() - t0) / 1000).toFixed(1)} s)`,
  );
  return venue;
}

/** The request each read action is measured with. */
export function readPath(action: Exclude<ReportAction, 'shifts.closeShift'>, year: number): string {
  switch (action) {
    case 'shifts.getXReport':
      return '/api/v1/shifts/current/x-report';
    case 'vat.getVatReturn':
      // May–June: a whole two-month period inside the seeded year.
      return `/api/v1/vat/return?period=${year}-05`;
    case 'vat.getTradingDetails':
      return `/api/v1/vat/trading-details?year=${year}`;
  }
}

/**
 * The year's sales VAT worked out from the sales and refunds themselves (what
 * the RTD must equal): lines of sales closed in the year by the venue's
 * calendar, less the lines of refunds made in it.
 */
async function rawSalesVat(db: DbCluster, venueId: string, year: number): Promise<number> {
  const primary = await db.primary();
  const { rows } = await primary.query<{ vat: string }>(
    `SELECT (SELECT COALESCE(sum(l.vat_cents), 0) FROM tabs t JOIN tab_lines l ON l.tab_id = t.id JOIN venues v ON v.id = t.venue_id
              WHERE t.venue_id = $1 AND t.status = 'closed' AND l.voided_at IS NULL
                AND date_part('year', t.closed_at AT TIME ZONE v.time_zone) = $2)
          + (SELECT COALESCE(sum(rl.vat_cents), 0) FROM refunds r JOIN refund_lines rl ON rl.refund_id = r.id JOIN venues v ON v.id = r.venue_id
              WHERE r.venue_id = $1 AND date_part('year', r.refunded_at AT TIME ZONE v.time_zone) = $2) AS vat`,
    [venueId, year],
  );
  return Number(rows[0]?.vat ?? NaN);
}

/**
 * Each read once, checked before it is timed: tonight's sales are in the X,
 * the period's in the return, and the RTD's sales VAT is, to the cent, what
 * the sales and refunds themselves add up to (the totals the triggers kept
 * for the bulk seed are right, so the figures timed are real ones).
 */
export async function checkReports(frontEndUrl: string, db: DbCluster, v: ReportsVenue, year: number): Promise<string | null> {
  for (const action of ['shifts.getXReport', 'vat.getVatReturn', 'vat.getTradingDetails'] as const) {
    const r = await send(frontEndUrl, v.account, 'GET', readPath(action, year));
    if (r.status !== 200) return `${action} answered ${r.status} ${r.text.slice(0, 200)}`;
    const body = JSON.parse(r.text) as { salesCount?: number; T1Cents?: number; sales?: Array<{ netCents: number }>; salesVatCents?: number };
    if (action === 'shifts.getXReport' && !(body.salesCount && body.salesCount > 0)) return 'the X report shows no sales tonight';
    if (action === 'vat.getVatReturn' && !(body.T1Cents && body.T1Cents > 0)) return 'the VAT return shows no sales VAT';
    if (action === 'vat.getTradingDetails' && !body.sales?.some((l) => l.netCents > 0)) return 'the RTD shows no sales';
    if (action === 'vat.getTradingDetails') {
      const raw = await rawSalesVat(db, v.actor.venueId, year);
      if (body.salesVatCents !== raw) return `the RTD's sales VAT is ${body.salesVatCents ?? '-'} cents, the sales and refunds add up to ${raw}`;
    }
  }
  return null;
}

/** One request, timed from sending it to the last byte of the reply. */
async function timed(frontEndUrl: string, v: ReportsVenue, action: ReportAction, year: number): Promise<number> {
  const t0 = performance.now();
  const r =
    action === 'shifts.closeShift'
      ? await send(frontEndUrl, v.account, 'POST', '/api/v1/shifts/current/close', { countedCashCents: 20_000, note: 'Bench count' })
      : await send(frontEndUrl, v.account, 'GET', readPath(action, year));
  const ms = performance.now() - t0;
  if (r.status !== 200) throw new Error(`${action} answered ${r.status} ${r.text.slice(0, 200)}`);
  return ms;
}

/** Before each close (not timed): a shift open (started unless one is) with two quick sales through the API. */
async function prepareClose(frontEndUrl: string, v: ReportsVenue, i: number): Promise<void> {
  await startShift(frontEndUrl, v.account);
  await quickSale(frontEndUrl, v, 2 * i);
  await quickSale(frontEndUrl, v, 2 * i + 1);
}

/**
 * `action` for A and B one request at a time, alternating (A B, then B A,
 * ...), `pairs` times after `warmup` pairs. The reads measure the reports as
 * they stand; the closes close the open shift each time (tonight's first).
 */
export async function interleavedAction(
  frontEndUrl: string,
  a: ReportsVenue,
  b: ReportsVenue,
  action: ReportAction,
  year: number,
  pairs: number,
  warmup = 3,
): Promise<{ aMs: number[]; bMs: number[] }> {
  const aMs: number[] = [];
  const bMs: number[] = [];
  for (let i = 0; i < warmup + pairs; i += 1) {
    if (action === 'shifts.closeShift') {
      await prepareClose(frontEndUrl, a, i);
      await prepareClose(frontEndUrl, b, i);
    }
    const first = i % 2 === 0 ? a : b;
    const second = first === a ? b : a;
    const x = await timed(frontEndUrl, first, action, year);
    const y = await timed(frontEndUrl, second, action, year);
    if (i < warmup) continue;
    aMs.push(first === a ? x : y);
    bMs.push(first === a ? y : x);
  }
  return { aMs, bMs };
}

interface Side {
  p50Ms: number | null;
  p90Ms: number | null;
  maxMs: number | null;
}

export interface ActionFigure {
  action: ReportAction;
  pairs: number;
  small: Side;
  big: Side;
  /** The big venue's p50 over the small one's: 1.0 means the year's sales cost nothing. */
  ratioP50: number | null;
  /** Big over small within each adjacent pair: median, and the middle half (p25–p75) as the spread. */
  pairRatio: { median: number | null; p25: number | null; p75: number | null };
  /** The big venue's p50 ≤ 100 ms; and its p50 no more than 20% above the small venue's (null: not measured). */
  meetsP50: boolean | null;
  meetsGrowth: boolean | null;
}

export interface ReportsFigure {
  year: number;
  smallSales: number;
  bigSales: number;
  bigRefunds: number;
  /** vat_day_totals rows of the year, small and big venue. */
  dayTotalsRows: { small: number; big: number };
  /** 1-minute load average before and after the timed requests: the machine is shared. */
  loadAvg1: { start: number; end: number };
  actions: ActionFigure[];
}

const sorted = (xs: number[]) => Float64Array.from(xs).sort();
const pct = (xs: number[], p: number, digits: number): number | null => {
  const v = percentile(sorted(xs), p);
  return v === null ? null : round(v, digits);
};

/** One action's figure from its A (small venue) and B (big venue) samples, pair by pair. */
export function actionFigure(action: ReportAction, runs: { aMs: number[]; bMs: number[] }): ActionFigure {
  const side = (xs: number[]): Side => ({ p50Ms: pct(xs, 50, 1), p90Ms: pct(xs, 90, 1), maxMs: pct(xs, 100, 1) });
  const small = side(runs.aMs);
  const big = side(runs.bMs);
  const ratios = runs.aMs.map((a, i) => (runs.bMs[i] ?? NaN) / a).filter((r) => Number.isFinite(r));
  const ratioP50 = small.p50Ms && big.p50Ms !== null ? round(big.p50Ms / small.p50Ms, 3) : null;
  return {
    action,
    pairs: Math.min(runs.aMs.length, runs.bMs.length),
    small,
    big,
    ratioP50,
    pairRatio: { median: pct(ratios, 50, 3), p25: pct(ratios, 25, 3), p75: pct(ratios, 75, 3) },
    meetsP50: big.p50Ms === null || small.p50Ms === null ? null : Math.max(big.p50Ms, small.p50Ms) <= P50_TARGET_MS,
    meetsGrowth: ratioP50 === null ? null : ratioP50 <= GROWTH_TARGET,
  };
}

/** The figure as a markdown table with a line saying what was measured. */
export function markdownReports(f: ReportsFigure): string {
  const ms = (v: number | null) => (v === null ? '-' : v.toFixed(1));
  const x = (v: number | null) => (v === null ? '-' : v.toFixed(3));
  const ok = (v: boolean | null) => (v === null ? 'not measured' : v ? 'holds' : 'misses');
  return [
    `${f.bigSales.toLocaleString('en')} sales (${f.bigRefunds.toLocaleString('en')} refunds) over ${f.year} against ${f.smallSales.toLocaleString('en')}, ` +
      `one request at a time through the front end and the broker, alternating venues; the year's VAT day-total rows ` +
      `${f.dayTotalsRows.small.toLocaleString('en')} and ${f.dayTotalsRows.big.toLocaleString('en')}; load average ${f.loadAvg1.start} before, ${f.loadAvg1.end} after.`,
    '',
    '| action | pairs | 10k p50 / p90 ms | 150k p50 / p90 ms | p50 ratio | pair ratio median (p25–p75) | p50 ≤ 100 ms | ≤ 20% slower |',
    '| --- | ---: | ---: | ---: | ---: | ---: | --- | --- |',
    ...f.actions.map(
      (a) =>
        `| \`${a.action}\` | ${a.pairs} | ${ms(a.small.p50Ms)} / ${ms(a.small.p90Ms)} | ${ms(a.big.p50Ms)} / ${ms(a.big.p90Ms)} | ${x(a.ratioP50)} | ` +
        `${x(a.pairRatio.median)} (${x(a.pairRatio.p25)}–${x(a.pairRatio.p75)}) | ${ok(a.meetsP50)} | ${ok(a.meetsGrowth)} |`,
    ),
  ].join('\n');
}

/** Every action, alternating venues, into one figure. */
export async function measureReports(
  frontEndUrl: string,
  small: ReportsVenue,
  big: ReportsVenue,
  year: number,
  pairs: number,
  log: (line: string) => void,
): Promise<ReportsFigure> {
  const start = round(loadavg()[0] ?? 0, 2);
  const actions: ActionFigure[] = [];
  for (const action of REPORT_ACTIONS) {
    const figure = actionFigure(action, await interleavedAction(frontEndUrl, small, big, action, year, pairs));
    log(
      `${action}: p50 ${figure.small.p50Ms} ms with ${small.sales.toLocaleString('en')} sales, ${figure.big.p50Ms} ms with ${big.sales.toLocaleString('en')} ` +
        `(ratio ${figure.ratioP50}, pair median ${figure.pairRatio.median}, p25–p75 ${figure.pairRatio.p25}–${figure.pairRatio.p75})`,
    );
    actions.push(figure);
  }
  return { year, smallSales: small.sales, bigSales: big.sales, bigRefunds: big.refunds, dayTotalsRows: { small: small.dayTotalsRows, big: big.dayTotalsRows }, loadAvg1: { start, end: round(loadavg()[0] ?? 0, 2) }, actions };
}
