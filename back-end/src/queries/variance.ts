import type { ReplyOf } from '@barback/messaging';
import type pg from 'pg';
import type { Queryable } from '../types.js';
import { US } from './stocktakes.js';

export type VarianceReport = ReplyOf<'stocktakes.getVarianceReport'>;
type Line = VarianceReport['lines'][number];
type Fault = VarianceReport['faults'][number];

/** ml in a pint, as a manager thinks of draught. */
export const PINT_ML = 568;

export interface Period {
  stocktakeId: string;
  /** The previous closed stocktake, whose counts are this period's opening; null: the first period, opening 0. */
  previousId: string | null;
  /** Exact to the microsecond, as text (a Date would drop them). */
  from: string;
  to: string;
}

/**
 * The period of a closed stocktake: from the previous closed stocktake's
 * countedAt (exclusive: its adjustment, dated then, belongs to it), or from
 * the venue's first stock move (inclusive, opening 0), to this countedAt
 * (inclusive). null: not the venue's; 'open': not closed yet.
 */
export async function variancePeriod(db: Queryable, venueId: string, id: string): Promise<Period | 'open' | null> {
  const { rows } = await db.query<{ counted_at: string; closed: boolean; previous_id: string | null; previous_at: string | null; first_at: string }>(
    `SELECT ${US('t.counted_at')} AS counted_at, t.closed_at IS NOT NULL AS closed, prev.id AS previous_id, ${US('prev.counted_at')} AS previous_at,
            ${US(`LEAST(t.counted_at, (SELECT min(at) FROM stock_ledger WHERE venue_id = $2), (SELECT min(at) FROM stock_moves WHERE venue_id = $2 AND units <> 0))`)} AS first_at
       FROM stocktakes t
       LEFT JOIN LATERAL (
         SELECT p.id, p.counted_at FROM stocktakes p
          WHERE p.venue_id = t.venue_id AND p.closed_at IS NOT NULL AND p.counted_at < t.counted_at
          ORDER BY p.counted_at DESC LIMIT 1
       ) prev ON true
      WHERE t.id = $1 AND t.venue_id = $2`,
    [id, venueId],
  );
  const row = rows[0];
  if (!row) return null;
  if (!row.closed) return 'open';
  const from = row.previous_at ?? row.first_at;
  return { stocktakeId: id, previousId: row.previous_id, from, to: row.counted_at };
}

/**
 * `fn` in one read-only transaction with JIT compilation and sequential scans
 * off, when `db` is a pool (a read handler's); as it is otherwise (already a
 * transaction's client, whose settings are its caller's).
 *
 * JIT, because the report's plan is cheap to run but priced high: with the
 * period's sales read tab by tab (varianceLines), PostgreSQL prices the plan
 * at about 114,000, over jit_above_cost (100,000), and compiles 110
 * functions on every request. Measured on the bench's standby (300 products,
 * 20,000 sales in the period, 20 alternating runs each, CPU of all its
 * processes): 114 ms a report with JIT against 57 ms without, and 82 ms for
 * the query before 0021 (priced at 63,000, under the threshold, which a
 * venue with twice the sales or products would have crossed all the same).
 *
 * Sequential scans, because what makes the planner choose them is the venue's
 * history, not the period: for the bench's venue with 20,000 sales before the
 * period (half of a 240,000-row ledger), PostgreSQL priced the period's
 * 60,620 ledger rows at 80,000 and read the whole table instead of the
 * index range, and the report cost 104 ms of CPU against 74 for the same
 * period without those sales. Every table the report reads has an index
 * for what it asks (by venue and period, by product, by stocktake), so
 * without sequential scans its cost follows the period alone.
 *
 * One snapshot for the period, its lines and its late deliveries is the
 * transaction's other gain: the three agree even while the fold writes.
 */
export async function inReportTransaction<T>(db: Queryable, fn: (q: Queryable) => Promise<T>): Promise<T> {
  // A pool, not a client: both have connect(), only a pool counts its connections.
  if (!('totalCount' in db && 'connect' in db)) return fn(db);
  const client = await (db as pg.Pool).connect();
  let broken: Error | undefined;
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY; SET LOCAL jit = off; SET LOCAL enable_seqscan = off');
    const result = await fn(client);
    await client.query('COMMIT');
    return result;
  } catch (e) {
    await client.query('ROLLBACK').catch((rollback: unknown) => {
      broken = rollback instanceof Error ? rollback : new Error(String(rollback));
    });
    throw e;
  } finally {
    // A connection whose ROLLBACK failed is discarded rather than handed back mid-transaction.
    client.release(broken);
  }
}

interface LineRow {
  product_id: string;
  name: string;
  category: Line['category'];
  unit_ml: string | null;
  unit_cost_cents: number;
  opening: string;
  delivered: string;
  wasted: string;
  closing: string;
  used: string;
  sold: string;
  variance: string;
  variance_cost_cents: string;
  variance_retail_cents: string;
  variance_percent: string | null;
  sales_net_cents: string;
  cost_of_sales_cents: string;
  variance_pints: string | null;
  used_pints: string | null;
  from_expected: boolean;
  expected: string | null;
  serving_without_ml: boolean;
}

/**
 * One row per product of the stocktake, every figure in numeric and rounded
 * once at the end (round() on numeric: half away from zero, so a loss rounds
 * as its gain would). The period's moves are read by the ledger's (venue, at)
 * index over the period alone, and the opening is the previous stocktake's
 * count, so nothing before the period is read again however many sales it
 * had (a product the previous stocktake did not have is summed up to `from`
 * over its own index range).
 *
 * Units sold are the sales' and voids' moves (a refund puts no drink back);
 * sales net cents are the lines not voided of the sales closed in the period.
 * The cost is the one in force at countedAt: the `from` of the first cost
 * change audited after it (an update of the product or a delivery), else
 * today's.
 */
export async function varianceLines(db: Queryable, venueId: string, p: Period): Promise<LineRow[]> {
  const first = p.previousId === null;
  const { rows } = await db.query<LineRow>(
    `WITH moves AS (
       -- Summed per product and cause first, one plain sum over the index-only range of stock_ledger_venue_at
       -- (0021) [from, to], then spread into the columns below over a thousand rows instead of 60,000.
       SELECT product_id, sum(units) AS units, cause FROM stock_ledger
        WHERE venue_id = $1 AND at >= $3 AND at <= $4 AND (at > $3 OR $5)
        GROUP BY product_id, cause
       UNION ALL
       SELECT product_id, units, COALESCE(cause, CASE WHEN units < 0 THEN 'sale' ELSE 'void' END) FROM stock_moves
        WHERE venue_id = $1 AND units <> 0 AND at >= $3 AND at <= $4 AND (at > $3 OR $5)
     ), flows AS MATERIALIZED (
       -- Materialised, as sales: each is one pass over the period, never re-run per product whatever the planner guesses.
       SELECT product_id,
              COALESCE(sum(units) FILTER (WHERE cause IN ('delivery', 'credit_note')), 0) AS delivered,
              COALESCE(-sum(units) FILTER (WHERE cause = 'wastage'), 0) AS wasted,
              COALESCE(-sum(units) FILTER (WHERE cause IN ('sale', 'void')), 0) AS sold,
              COALESCE(sum(units) FILTER (WHERE cause = 'opening'), 0) AS opening_rows
         FROM moves GROUP BY product_id
     ), sales AS MATERIALIZED (
       -- Each tab closed in the period, then its lines, both from indexes alone (0021): a plain join is hashed
       -- against every line of every venue, which costs the whole table (50 ms at 180,000 lines against 30 ms).
       -- OFFSET 0 keeps the lines a subquery probed once per tab, so the planner cannot turn it back into that.
       SELECT l.product_id, sum(l.net_cents) AS net_cents
         FROM tabs t
         CROSS JOIN LATERAL (
           SELECT l.product_id, l.net_cents FROM tab_lines l WHERE l.tab_id = t.id AND l.voided_at IS NULL OFFSET 0
         ) l
        WHERE t.venue_id = $1 AND t.status = 'closed' AND t.closed_at >= $3 AND t.closed_at <= $4 AND (t.closed_at > $3 OR $5)
        GROUP BY l.product_id
     ), base AS MATERIALIZED (
       -- Materialised: the figures below refer to each column several times, and inlined, the per-product
       -- lookups (cost at countedAt, first serving) ran once per reference.
       SELECT c.product_id, p.name, p.category, p.unit_ml, p.vat_class, c.from_expected, c.expected_units AS expected,
              c.counted_units AS closing,
              CASE WHEN $5 THEN COALESCE(f.opening_rows, 0)
                   WHEN pc.product_id IS NOT NULL THEN pc.counted_units
                   ELSE COALESCE((SELECT sum(l.units) FROM stock_ledger l WHERE l.venue_id = $1 AND l.product_id = c.product_id AND l.at <= $3), 0)
                        + COALESCE((SELECT sum(m.units) FROM stock_moves m WHERE m.venue_id = $1 AND m.product_id = c.product_id AND m.at <= $3), 0)
              END AS opening,
              COALESCE(f.delivered, 0) AS delivered, COALESCE(f.wasted, 0) AS wasted, COALESCE(f.sold, 0) AS sold,
              COALESCE(s.net_cents, 0) AS sales_net,
              COALESCE((SELECT (a.details -> 'unitCostCents' ->> 'from')::int FROM audit_log a
                         WHERE a.venue_id = $1 AND a.entity_type = 'product' AND a.entity_id = c.product_id AND a.at > $4
                           AND a.details ? 'unitCostCents'
                         ORDER BY a.at, a.id LIMIT 1), p.unit_cost_cents) AS unit_cost_cents,
              vat_rate_bp(p.vat_class, $4, v.time_zone) AS rate_bp,
              (SELECT json_build_object('price', sv.price_cents, 'ml', sv.ml) FROM servings sv
                WHERE sv.product_id = c.product_id AND sv.active ORDER BY sv.position, sv.name LIMIT 1) AS first_serving,
              -- Only draught: a bottle's or a bag's serving rightly draws the whole unit; a keg's never should.
              p.category = 'draught' AND p.unit_ml IS NOT NULL
                AND EXISTS (SELECT 1 FROM servings sv WHERE sv.product_id = c.product_id AND sv.active AND sv.ml IS NULL) AS serving_without_ml
         FROM stocktake_counts c
         JOIN products p ON p.id = c.product_id
         JOIN venues v ON v.id = $1
         LEFT JOIN stocktake_counts pc ON pc.stocktake_id = $6 AND pc.product_id = c.product_id
         LEFT JOIN flows f ON f.product_id = c.product_id
         LEFT JOIN sales s ON s.product_id = c.product_id
        WHERE c.stocktake_id = $2
     ), used AS (
       SELECT b.*, b.opening + b.delivered - b.wasted - b.closing AS used FROM base b
     ), figured AS (
       SELECT u.*, u.sold - u.used AS variance FROM used u
     )
     SELECT product_id, name, category, unit_ml::text, unit_cost_cents,
            opening::text, delivered::text, wasted::text, closing::text, used::text, sold::text, variance::text,
            round(variance * unit_cost_cents)::text AS variance_cost_cents,
            CASE WHEN sold <> 0 THEN round(variance * sales_net / sold)
                 WHEN first_serving IS NULL THEN 0
                 -- The first serving's net price per stock unit: price × 10000 / (10000 + rate), times the servings in a unit.
                 ELSE round(variance * (first_serving ->> 'price')::numeric * 10000
                            * CASE WHEN unit_ml IS NULL OR first_serving ->> 'ml' IS NULL THEN 1
                                   ELSE unit_ml / (first_serving ->> 'ml')::numeric END
                            / (10000 + rate_bp))
            END::text AS variance_retail_cents,
            CASE WHEN used <> 0 THEN round(variance / used * 100, 1)::text END AS variance_percent,
            sales_net::text AS sales_net_cents,
            round(used * unit_cost_cents)::text AS cost_of_sales_cents,
            CASE WHEN category = 'draught' AND unit_ml IS NOT NULL THEN (variance * unit_ml / ${PINT_ML})::text END AS variance_pints,
            CASE WHEN category = 'draught' AND unit_ml IS NOT NULL THEN (used * unit_ml / ${PINT_ML})::text END AS used_pints,
            from_expected, expected::text, serving_without_ml
       FROM figured`,
    [venueId, p.stocktakeId, p.from, p.to, first, p.previousId],
  );
  return rows;
}

/** Deliveries whose stock went in during the period on an invoice dated after the count (the venue's calendar). */
export async function deliveriesDatedAfter(db: Queryable, venueId: string, p: Period): Promise<Array<{ invoice_number: string; invoice_date: string; supplier: string }>> {
  const { rows } = await db.query<{ invoice_number: string; invoice_date: string; supplier: string }>(
    `SELECT d.invoice_number, to_char(d.invoice_date, 'YYYY-MM-DD') AS invoice_date, s.name AS supplier
       FROM deliveries d JOIN suppliers s ON s.id = d.supplier_id JOIN venues v ON v.id = d.venue_id
      WHERE d.venue_id = $1 AND d.recorded_at <= $3 AND (d.recorded_at > $2 OR $4) AND d.invoice_date > ($3 AT TIME ZONE v.time_zone)::date
      ORDER BY d.recorded_at, d.id`,
    [venueId, p.from, p.to, p.previousId === null],
  );
  return rows;
}

/** round(a / b × 100, 1) for integer cents, half away from zero, or null when b is 0. */
function percent(a: number, b: number): number | null {
  if (b === 0) return null;
  const num = BigInt(Math.abs(a)) * 1000n;
  const den = BigInt(Math.abs(b));
  const tenths = Number((num * 2n + den) / (den * 2n));
  return ((Math.sign(a) * Math.sign(b) || 1) * tenths) / 10;
}

/** The report from the rows: lines biggest loss at cost first, totals as sums of lines, and the faults to check before blaming anyone. */
export function buildReport(p: Period, rows: LineRow[], lateDeliveries: Array<{ invoice_number: string; invoice_date: string; supplier: string }>): VarianceReport {
  const n = (s: string) => Number(s);
  const lines: Line[] = rows.map((r) => ({
    productId: r.product_id,
    name: r.name,
    category: r.category,
    unitMl: r.unit_ml === null ? null : n(r.unit_ml),
    unitCostCents: r.unit_cost_cents,
    openingUnits: n(r.opening),
    deliveredUnits: n(r.delivered),
    wastedUnits: n(r.wasted),
    closingUnits: n(r.closing),
    usedUnits: n(r.used),
    soldUnits: n(r.sold),
    varianceUnits: n(r.variance),
    varianceCostCents: n(r.variance_cost_cents),
    varianceRetailCents: n(r.variance_retail_cents),
    variancePercent: r.variance_percent === null ? null : n(r.variance_percent),
    salesNetCents: n(r.sales_net_cents),
    costOfSalesCents: n(r.cost_of_sales_cents),
    variancePints: r.variance_pints === null ? null : n(r.variance_pints),
    usedPints: r.used_pints === null ? null : n(r.used_pints),
    closingFromExpected: r.from_expected,
  }));
  lines.sort((a, b) => a.varianceCostCents - b.varianceCostCents || a.name.localeCompare(b.name) || a.productId.localeCompare(b.productId));
  const sum = (f: (l: Line) => number) => lines.reduce((t, l) => t + f(l), 0);
  const salesNetCents = sum((l) => l.salesNetCents);
  const costOfSalesCents = sum((l) => l.costOfSalesCents);

  const faults: Fault[] = [];
  for (const r of rows) {
    const sold = n(r.sold);
    if (sold > 0 && n(r.opening) <= 0 && n(r.delivered) <= 0) {
      faults.push({ kind: 'soldNeverDeliveredOrCounted', productId: r.product_id, message: `${r.name} was sold but had no opening count and no delivery in the period.` });
    }
    if (r.from_expected) {
      faults.push({ kind: 'uncountedTakenAsExpected', productId: r.product_id, message: `${r.name} was not counted: its closing figure is the system's.` });
    } else if (r.expected !== null) {
      const expected = n(r.expected);
      const counted = n(r.closing);
      if (Math.abs(counted - expected) > Math.abs(expected) * 0.5) {
        faults.push({
          kind: 'countFarFromExpected',
          productId: r.product_id,
          message: `${r.name} was counted at ${counted} against ${expected} expected: more than 50% apart. Check the count and the unit.`,
        });
      }
    }
    if (r.serving_without_ml) {
      faults.push({ kind: 'servingWithoutMl', productId: r.product_id, message: `${r.name} has a serving with no ml: each one draws a whole stock unit.` });
    }
  }
  for (const d of lateDeliveries) {
    faults.push({
      kind: 'deliveryAfterCount',
      productId: null,
      message: `Invoice ${d.invoice_number} from ${d.supplier} is dated ${d.invoice_date}, after the count, but its stock went in before it.`,
    });
  }
  return {
    stocktakeId: p.stocktakeId,
    from: new Date(p.from).toISOString(),
    to: new Date(p.to).toISOString(),
    lines,
    totals: {
      varianceCostCents: sum((l) => l.varianceCostCents),
      varianceRetailCents: sum((l) => l.varianceRetailCents),
      salesNetCents,
      costOfSalesCents,
      pourCostPercent: percent(costOfSalesCents, salesNetCents),
    },
    faults,
  };
}
