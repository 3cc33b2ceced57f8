/**
 * The variance report's figures (issue 17): getVarianceReport for a venue of
 * 300 products over a period with 20,000 sales, through the front end and the
 * broker, and whether its cost grows with the sales before the period (the
 * same report for a venue with none and one with 20,000 more before the
 * previous closed stocktake, measured in alternating A/B runs).
 *
 * Seeding, none of it measured: the venue, its products, both stocktakes
 * (start, a count of every product, close), a supplier's delivery and some
 * wastage go through the real write paths (the broker and the workers, as the
 * API would). The sales are inserted with SQL, as bench/lib/seed.ts does for
 * the growth scenario, because the report needs them spread over days that
 * have passed: each is a closed quick sale of three lines, with its payment,
 * its processed-request row and one stock move per line, dated when it was
 * rung in, with the draw recordSale would compute (quantity × serving ml /
 * unit ml, or whole units), so the workers' stock fold puts them in the
 * stock ledger as it does a sale's. What the SQL leaves out is the outbox
 * event a sale emits, which the report never reads.
 */
import type { Actor, RpcClient } from '@barback/messaging';
import type { DbCluster } from '@barback/db';
import { sleep } from '../../scripts/stack/system.js';
import { makeCatalogue } from './catalogue.js';
import { registerVenue, type Session } from './seed.js';
import { percentile, round, type ScenarioResult } from './stats.js';

const DAY_MS = 86_400_000;

export interface VarianceVenue {
  session: Session;
  actor: Actor;
  /** The closed stocktake whose report is measured. */
  stocktakeId: string;
  products: number;
  salesBefore: number;
  salesInPeriod: number;
}

export interface VarianceSeed {
  frontEndUrl: string;
  rpc: RpcClient;
  db: DbCluster;
  venueName: string;
  email: string;
  password: string;
  products: number;
  /** Sales before the previous closed stocktake's countedAt (outside the period). */
  salesBefore: number;
  /** Sales in the period the report covers. */
  salesInPeriod: number;
  log: (line: string) => void;
}

/** `fn` over `items`, `concurrency` at a time. */
async function pool<T>(items: T[], concurrency: number, fn: (item: T, i: number) => Promise<unknown>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let i = next++; i < items.length; i = next++) await fn(items[i] as T, i);
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

/**
 * `count` closed quick sales of three lines each, at random instants in
 * [from, to), as recordSale writes them (back-end/src/queries/quick-sale.ts):
 * the tab, its lines (VAT per line, the stock draw of each), the card
 * payment, the processed request, and one stock move per line dated at the
 * sale. In statements of `chunk` sales.
 */
async function insertSales(db: DbCluster, actor: Actor, count: number, from: Date, to: Date, chunk = 10_000): Promise<void> {
  const primary = await db.primary();
  const { rows: servings } = await primary.query<{
    id: string;
    product_id: string;
    description: string;
    price_cents: number;
    vat_class: string;
    draw: string;
  }>(
    `SELECT s.id, s.product_id, p.name || ' (' || s.name || ')' AS description, s.price_cents, p.vat_class,
            (CASE WHEN s.ml IS NULL OR p.unit_ml IS NULL THEN 1 ELSE s.ml / p.unit_ml END)::text AS draw
       FROM servings s JOIN products p ON p.id = s.product_id WHERE s.venue_id = $1 AND s.active`,
    [actor.venueId],
  );
  if (!servings.length) throw new Error('the venue has no servings to sell');
  const { rows: rates } = await primary.query<{ vat_class: string; rate_bp: number }>(
    `SELECT c AS vat_class, vat_rate_bp(c, now(), v.time_zone) AS rate_bp FROM unnest(ARRAY['standard', 'reduced']) c, venues v WHERE v.id = $1`,
    [actor.venueId],
  );
  const rateOf = new Map(rates.map((r) => [r.vat_class, r.rate_bp]));
  const params = [
    servings.map((s) => s.id),
    servings.map((s) => s.product_id),
    servings.map((s) => s.description),
    servings.map((s) => s.price_cents),
    servings.map((s) => s.vat_class),
    servings.map((s) => rateOf.get(s.vat_class) ?? 2300),
    servings.map((s) => s.draw),
  ];
  for (let done = 0; done < count; ) {
    const n = Math.min(chunk, count - done);
    await primary.query(
      `WITH g AS MATERIALIZED (
         SELECT uuid_v7(h.at) AS id, h.at
           FROM (SELECT $10::timestamptz + random() * ($11::timestamptz - $10::timestamptz) AS at FROM generate_series(1, $3::int)) h
       ), lv AS MATERIALIZED (
         SELECT x.tab_id, x.at, x.n, x.q, ($4::uuid[])[x.k] AS serving_id, ($5::uuid[])[x.k] AS product_id,
                ($6::text[])[x.k] AS description, ($7::int[])[x.k] AS price, ($8::text[])[x.k] AS vat_class,
                ($9::int[])[x.k] AS rate_bp, ($12::numeric[])[x.k] * x.q AS draw
           FROM (SELECT g.id AS tab_id, g.at, s.n, 1 + floor(random() * cardinality($4::uuid[]))::int AS k,
                        1 + floor(random() * 2)::int AS q
                   FROM g CROSS JOIN generate_series(1, 3) s (n)) x
       ), lines AS MATERIALIZED (
         SELECT lv.*, price * q AS gross, round(price * q * rate_bp / (10000.0 + rate_bp))::int AS vat FROM lv
       ), tot AS MATERIALIZED (
         SELECT tab_id, min(at) AS at, sum(gross)::int AS gross, sum(vat)::int AS vat FROM lines GROUP BY tab_id
       ), t AS (
         INSERT INTO tabs (id, venue_id, name, status, opened_by, opened_at, closed_by, closed_at, gross_cents, vat_cents, net_cents)
         SELECT tab_id, $1, 'Quick sale', 'closed', $2, at, $2, at, gross, vat, gross - vat FROM tot
       ), l AS (
         INSERT INTO tab_lines (id, tab_id, venue_id, serving_id, product_id, description, quantity, unit_price_cents, gross_cents,
                                vat_class, vat_rate_bp, vat_cents, net_cents, stock_draw_units, added_by, added_at)
         SELECT uuid_v7(at), tab_id, $1, serving_id, product_id, description, q, price, gross, vat_class, rate_bp, vat, gross - vat, draw, $2,
                at + (n - 1) * interval '1 microsecond'
           FROM lines
       ), m AS (
         INSERT INTO stock_moves (venue_id, product_id, units, at)
         SELECT $1, product_id, -draw, at FROM lines
       ), r AS (
         INSERT INTO processed_requests (scope, request_id, action, reply, created_at)
         SELECT $2::text, 'bench-variance-' || tab_id::text, 'sales.recordSale', '{}'::jsonb, at FROM tot
       )
       INSERT INTO payments (id, tab_id, venue_id, method, amount_cents, created_at)
       SELECT uuid_v7(at), tab_id, $1, 'card', gross, at FROM tot`,
      [actor.venueId, actor.staffId, n, ...params.slice(0, 6), from.toISOString(), to.toISOString(), params[6]],
    );
    done += n;
  }
}

/**
 * Folds the venue's stock moves into the ledger now, as the workers' fold job
 * does every moment (the same function), so the ledger holds the sales before
 * a stocktake closes on them. -1: a worker's fold holds the lock; it will
 * have taken them when it is done.
 */
async function foldMoves(db: DbCluster, venueId: string): Promise<void> {
  const primary = await db.primary();
  for (let tries = 0; tries < 600; tries += 1) {
    await primary.query('SELECT fold_stock_moves()');
    const { rows } = await primary.query<{ n: number }>('SELECT count(*)::int AS n FROM stock_moves WHERE venue_id = $1', [venueId]);
    if (rows[0]?.n === 0) return;
    await sleep(100);
  }
  throw new Error('stock moves were still waiting to be folded after a minute');
}

/** A stocktake through the broker: started (at `countedAt`, or now), every product counted, closed. */
async function stocktake(rpc: RpcClient, actor: Actor, productIds: string[], countedAt: Date | null): Promise<string> {
  const started = await rpc.call('stocktakes.startStocktake', countedAt ? { countedAt: countedAt.toISOString() } : {}, { actor });
  await pool(productIds, 8, (productId, i) =>
    rpc.call('stocktakes.recordCount', { stocktakeId: started.id, productId, fullUnits: 2 + (i % 7), partialTenths: i % 10 }, { actor }),
  );
  await rpc.call('stocktakes.closeStocktake', { stocktakeId: started.id }, { actor });
  return started.id;
}

/**
 * A venue whose latest stocktake closes a period of a week with
 * `salesInPeriod` sales, a delivery of every product and 20 wastage records,
 * and `salesBefore` sales in the two weeks before the previous stocktake.
 */
export async function seedVarianceVenue(s: VarianceSeed): Promise<VarianceVenue> {
  const t0 = Date.now();
  const session = await registerVenue(s.frontEndUrl, s.venueName, s.email, s.password);
  const actor = { staffId: session.staffId, venueId: session.venueId };
  const products: string[] = [];
  await pool(makeCatalogue(s.products), 8, async (p) => {
    products.push((await s.rpc.call('catalogue.createProduct', p, { actor })).id);
  });
  const now = Date.now();
  const periodStart = new Date(now - 7 * DAY_MS);
  if (s.salesBefore > 0) {
    await insertSales(s.db, actor, s.salesBefore, new Date(now - 21 * DAY_MS), new Date(periodStart.getTime() - 3_600_000));
    await foldMoves(s.db, actor.venueId);
  }
  // The previous stocktake: the period's start and its opening counts.
  await stocktake(s.rpc, actor, products, periodStart);

  const supplier = await s.rpc.call('suppliers.createSupplier', { name: 'Bench Drinks Ltd' }, { actor });
  const invoiceDate = new Date(now - DAY_MS).toISOString().slice(0, 10);
  for (let i = 0; i < products.length; i += 200) {
    await s.rpc.call(
      'deliveries.recordDelivery',
      {
        supplierId: supplier.id,
        invoiceNumber: `BENCH-${i / 200 + 1}`,
        invoiceDate,
        lines: products.slice(i, i + 200).map((productId) => ({ productId, quantity: 4, unitCostCents: 1_000 })),
      },
      { actor },
    );
  }
  await pool(products.slice(0, 20), 4, (productId) => s.rpc.call('wastage.recordWastage', { productId, reason: 'line_cleaning', units: 0.05 }, { actor }));

  await insertSales(s.db, actor, s.salesInPeriod, new Date(periodStart.getTime() + 3_600_000), new Date(now - 600_000));
  await foldMoves(s.db, actor.venueId);
  const primary = await s.db.primary();
  await primary.query('ANALYZE tabs, tab_lines, payments, stock_ledger, stocktake_counts');
  // The measured stocktake, counted now.
  const stocktakeId = await stocktake(s.rpc, actor, products, null);
  s.log(
    `seeded variance venue ${actor.venueId}: ${s.products} products, ${s.salesBefore.toLocaleString('en')} sales before the period, ` +
      `${s.salesInPeriod.toLocaleString('en')} in it, two stocktakes (${((Date.now() - t0) / 1000).toFixed(1)} s)`,
  );
  return { session, actor, stocktakeId, products: s.products, salesBefore: s.salesBefore, salesInPeriod: s.salesInPeriod };
}

/** The report once, checked before it is loaded: every product a line, and the period's sales in it. */
export async function checkReport(frontEndUrl: string, venue: VarianceVenue): Promise<string | null> {
  const res = await fetch(`${frontEndUrl}/api/v1/stocktakes/${venue.stocktakeId}/variance`, {
    headers: { cookie: venue.session.cookie },
    signal: AbortSignal.timeout(30_000),
  });
  const text = await res.text();
  if (res.status !== 200) return `GET variance answered ${res.status} ${text.slice(0, 200)}`;
  const report = JSON.parse(text) as { lines: Array<{ soldUnits: number; deliveredUnits: number }>; totals: { salesNetCents: number } };
  if (report.lines.length !== venue.products) return `the report has ${report.lines.length} lines for ${venue.products} products`;
  if (!(report.totals.salesNetCents > 0) || !report.lines.some((l) => l.soldUnits > 0)) return 'the report shows no sales in the period';
  return null;
}

/** One GET of the report, timed from the request to the last byte of the reply. */
async function timedReport(frontEndUrl: string, venue: VarianceVenue): Promise<number> {
  const t0 = performance.now();
  const res = await fetch(`${frontEndUrl}/api/v1/stocktakes/${venue.stocktakeId}/variance`, {
    headers: { cookie: venue.session.cookie },
    signal: AbortSignal.timeout(30_000),
  });
  await res.arrayBuffer();
  if (res.status !== 200) throw new Error(`GET variance answered ${res.status}`);
  return performance.now() - t0;
}

/**
 * The two reports one request at a time, alternating (A B, then B A, ...),
 * `pairs` times after a few of each to warm up: both see the same machine,
 * however its load drifts, which runs of 15 s each on a shared machine did
 * not (the load average moved from 17 to 5 within one A/B pair).
 */
export async function interleavedRuns(frontEndUrl: string, a: VarianceVenue, b: VarianceVenue, pairs: number): Promise<{ aMs: number[]; bMs: number[] }> {
  for (let i = 0; i < 5; i += 1) {
    await timedReport(frontEndUrl, a);
    await timedReport(frontEndUrl, b);
  }
  const aMs: number[] = [];
  const bMs: number[] = [];
  for (let i = 0; i < pairs; i += 1) {
    if (i % 2 === 0) {
      aMs.push(await timedReport(frontEndUrl, a));
      bMs.push(await timedReport(frontEndUrl, b));
    } else {
      bMs.push(await timedReport(frontEndUrl, b));
      aMs.push(await timedReport(frontEndUrl, a));
    }
  }
  return { aMs, bMs };
}

export interface VarianceFigure {
  products: number;
  salesInPeriod: number;
  /** B's sales before the previous stocktake; A has none. */
  salesBefore: number;
  pairs: number;
  /** A: no sales before the period. The headline, against the p50 ≤ 150 ms. */
  without: { p50Ms: number | null; p90Ms: number | null; maxMs: number | null };
  with: { p50Ms: number | null; p90Ms: number | null; maxMs: number | null };
  /** B's p50 over A's: 1.0 means the sales before the period cost nothing. */
  ratioP50: number | null;
  /** B over A within each adjacent pair of requests: median, and the middle half (p25–p75) as the spread. */
  pairRatio: { median: number | null; p25: number | null; p75: number | null };
  /** CPU ms per request of the whole system in each side's autocannon run (load generator excluded): a cost the machine's load moves less. */
  cpuMsPerRequest: { without: number | null; with: number | null };
}

const sorted = (xs: number[]) => Float64Array.from(xs).sort();
const pct = (xs: number[], p: number): number | null => {
  const v = percentile(sorted(xs), p);
  return v === null ? null : round(v, 1);
};
const cpuTotal = (r: ScenarioResult | undefined): number | null =>
  r?.cpuMsPerRequest ? round(Object.entries(r.cpuMsPerRequest).reduce((sum, [k, v]) => (k === 'loadGenerator' ? sum : sum + v), 0), 1) : null;

export function varianceFigure(
  venues: { without: VarianceVenue; with: VarianceVenue },
  runs: { aMs: number[]; bMs: number[] },
  scenarios: { without?: ScenarioResult; with?: ScenarioResult },
): VarianceFigure {
  const side = (xs: number[]) => ({ p50Ms: pct(xs, 50), p90Ms: pct(xs, 90), maxMs: pct(xs, 100) });
  const ratios = runs.aMs.map((a, i) => (runs.bMs[i] ?? NaN) / a).filter((r) => Number.isFinite(r));
  const without = side(runs.aMs);
  const withBefore = side(runs.bMs);
  const ratioPct = (p: number) => {
    const v = percentile(sorted(ratios), p);
    return v === null ? null : round(v, 3);
  };
  return {
    products: venues.without.products,
    salesInPeriod: venues.without.salesInPeriod,
    salesBefore: venues.with.salesBefore,
    pairs: Math.min(runs.aMs.length, runs.bMs.length),
    without,
    with: withBefore,
    ratioP50: without.p50Ms && withBefore.p50Ms !== null ? round(withBefore.p50Ms / without.p50Ms, 3) : null,
    pairRatio: { median: ratioPct(50), p25: ratioPct(25), p75: ratioPct(75) },
    cpuMsPerRequest: { without: cpuTotal(scenarios.without), with: cpuTotal(scenarios.with) },
  };
}

/** The figure in one line, for the log and the results page. */
export function describeVariance(f: VarianceFigure): string {
  const ms = (v: number | null) => (v === null ? '-' : `${v.toFixed(1)} ms`);
  const x = (v: number | null) => (v === null ? '-' : v.toFixed(3));
  return (
    `getVarianceReport, ${f.products} products, ${f.salesInPeriod.toLocaleString('en')} sales in the period, 1 request at a time: ` +
    `p50 ${ms(f.without.p50Ms)} (p90 ${ms(f.without.p90Ms)}; target p50 ≤ 150 ms); with ${f.salesBefore.toLocaleString('en')} sales before the period ` +
    `p50 ${ms(f.with.p50Ms)} (p90 ${ms(f.with.p90Ms)}): ratio ${x(f.ratioP50)}, per adjacent pair median ${x(f.pairRatio.median)} ` +
    `(p25–p75 ${x(f.pairRatio.p25)}–${x(f.pairRatio.p75)}, ${f.pairs} alternating pairs); CPU ms per request ` +
    `${f.cpuMsPerRequest.without ?? '-'} without, ${f.cpuMsPerRequest.with ?? '-'} with`
  );
}
