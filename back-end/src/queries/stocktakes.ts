import type { ReplyOf } from '@barback/messaging';
import type { Queryable } from '../types.js';

export type Stocktake = ReplyOf<'stocktakes.getStocktake'>;
export type StocktakeCount = ReplyOf<'stocktakes.recordCount'>;
type Category = StocktakeCount['category'];

const ISO_UTC = `'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'`;
const iso = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', ${ISO_UTC})`;
/** An instant as exact text (microseconds), to hand back to PostgreSQL unchanged. */
export const US = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

/** The open stocktake first, then the latest 50 closed, newest first, each with how many products it counted. */
export async function stocktakeSummaries(db: Queryable, venueId: string): Promise<ReplyOf<'stocktakes.listStocktakes'>['items']> {
  const { rows } = await db.query<{ id: string; counted_at: string; closed_at: string | null; counted: number }>(
    `SELECT t.id, ${iso('t.counted_at')} AS counted_at, ${iso('t.closed_at')} AS closed_at,
            (SELECT count(*)::int FROM stocktake_counts c WHERE c.stocktake_id = t.id AND NOT c.from_expected) AS counted
       FROM stocktakes t WHERE t.venue_id = $1
      ORDER BY t.closed_at IS NULL DESC, t.counted_at DESC, t.id DESC LIMIT 51`,
    [venueId],
  );
  return rows.map((r) => ({ id: r.id, countedAt: r.counted_at, status: r.closed_at === null ? 'open' : 'closed', closedAt: r.closed_at, counted: r.counted }));
}

/** The stocktake of the venue still open, if any. */
export async function openStocktakeId(db: Queryable, venueId: string): Promise<string | null> {
  const { rows } = await db.query<{ id: string }>('SELECT id FROM stocktakes WHERE venue_id = $1 AND closed_at IS NULL', [venueId]);
  return rows[0]?.id ?? null;
}

/** The latest countedAt of the venue's closed stocktakes: a new one must count after it. */
export async function lastClosedCountedAt(db: Queryable, venueId: string): Promise<Date | null> {
  const { rows } = await db.query<{ counted_at: Date | null }>(
    'SELECT max(counted_at) AS counted_at FROM stocktakes WHERE venue_id = $1 AND closed_at IS NOT NULL',
    [venueId],
  );
  return rows[0]?.counted_at ?? null;
}

/** Starts one; the partial unique index refuses a second open one (isOneOpenViolation). countedAt null: the transaction's start. */
export async function insertStocktake(db: Queryable, venueId: string, countedAt: Date | null, staffId: string): Promise<string> {
  const { rows } = await db.query<{ id: string }>(
    'INSERT INTO stocktakes (venue_id, counted_at, started_by) VALUES ($1, COALESCE($2, now()), $3) RETURNING id',
    [venueId, countedAt, staffId],
  );
  const row = rows[0];
  if (!row) throw new Error('stocktake insert returned no row');
  return row.id;
}

export function isOneOpenViolation(err: unknown): boolean {
  const e = err as { code?: string; constraint?: string };
  return e.code === '23505' && e.constraint === 'stocktakes_one_open';
}

/**
 * Locks the venue's stocktake for the rest of the transaction: a count takes
 * it for share (counts of different products go side by side), closing for
 * update, so no count slips in while the stocktake closes. null: not the
 * venue's (another venue's id is answered like an unknown one).
 */
export async function lockStocktake(
  db: Queryable,
  venueId: string,
  id: string,
  mode: 'share' | 'update',
): Promise<{ countedAt: string; closed: boolean } | null> {
  // countedAt as text to the microsecond: a Date would drop the microseconds, and a move a few of them after it would count before it.
  const { rows } = await db.query<{ counted_at: string; closed: boolean }>(
    `SELECT ${US('counted_at')} AS counted_at, closed_at IS NOT NULL AS closed FROM stocktakes WHERE id = $1 AND venue_id = $2 FOR ${mode === 'share' ? 'SHARE' : 'UPDATE'}`,
    [id, venueId],
  );
  const row = rows[0];
  return row ? { countedAt: row.counted_at, closed: row.closed } : null;
}

/** What a count needs of the product (null: not the venue's). */
export async function productForCount(
  db: Queryable,
  venueId: string,
  productId: string,
): Promise<{ fullWeightGrams: number | null; emptyWeightGrams: number | null } | null> {
  const { rows } = await db.query<{ full_weight_grams: number | null; empty_weight_grams: number | null }>(
    'SELECT full_weight_grams, empty_weight_grams FROM products WHERE id = $1 AND venue_id = $2',
    [productId, venueId],
  );
  const row = rows[0];
  return row ? { fullWeightGrams: row.full_weight_grams, emptyWeightGrams: row.empty_weight_grams } : null;
}

interface CountRow {
  stocktake_id: string;
  product_id: string;
  name: string;
  category: Category;
  full_units: number | null;
  partial_tenths: number | null;
  partial_grams: number | null;
  counted_units: number;
  from_expected: boolean;
  expected_units: number | null;
  counted_by: string | null;
  counted_by_name: string | null;
  recorded_at: string;
}

function toCount(r: CountRow): StocktakeCount {
  return {
    stocktakeId: r.stocktake_id,
    productId: r.product_id,
    name: r.name,
    category: r.category,
    fullUnits: r.full_units,
    partialTenths: r.partial_tenths,
    partialGrams: r.partial_grams,
    countedUnits: r.counted_units,
    fromExpected: r.from_expected,
    expectedUnits: r.expected_units,
    countedBy: r.counted_by === null ? null : { id: r.counted_by, name: r.counted_by_name ?? '' },
    recordedAt: r.recorded_at,
  };
}

const countSelect = `
  SELECT c.stocktake_id, c.product_id, p.name, p.category, c.full_units, c.partial_tenths, c.partial_grams,
         c.counted_units::float8 AS counted_units, c.from_expected, c.expected_units::float8 AS expected_units,
         c.counted_by, s.name AS counted_by_name, ${iso('c.recorded_at')} AS recorded_at
    FROM stocktake_counts c JOIN products p ON p.id = c.product_id LEFT JOIN staff s ON s.id = c.counted_by`;

/**
 * Writes a product's count, replacing any earlier one (the last count of a
 * product is the one that stands). The stock units are worked out here, in
 * numeric: whole + numerator / denominator, kept to the column's 8 places.
 */
export async function upsertCount(
  db: Queryable,
  c: {
    stocktakeId: string;
    venueId: string;
    productId: string;
    fullUnits: number;
    partialTenths: number | null;
    partialGrams: number | null;
    parts: { whole: number; numerator: number; denominator: number };
    staffId: string;
  },
): Promise<StocktakeCount> {
  const { rows } = await db.query<CountRow>(
    `WITH written AS (
       INSERT INTO stocktake_counts (stocktake_id, venue_id, product_id, full_units, partial_tenths, partial_grams, counted_units, counted_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7::numeric + $8::numeric / $9::numeric, $10)
       ON CONFLICT (stocktake_id, product_id) DO UPDATE
         SET full_units = EXCLUDED.full_units, partial_tenths = EXCLUDED.partial_tenths, partial_grams = EXCLUDED.partial_grams,
             counted_units = EXCLUDED.counted_units, counted_by = EXCLUDED.counted_by, recorded_at = now()
       RETURNING *
     )
     SELECT c.stocktake_id, c.product_id, p.name, p.category, c.full_units, c.partial_tenths, c.partial_grams,
            c.counted_units::float8 AS counted_units, c.from_expected, c.expected_units::float8 AS expected_units,
            c.counted_by, s.name AS counted_by_name, ${iso('c.recorded_at')} AS recorded_at
       FROM written c JOIN products p ON p.id = c.product_id LEFT JOIN staff s ON s.id = c.counted_by`,
    [
      c.stocktakeId,
      c.venueId,
      c.productId,
      c.fullUnits,
      c.partialTenths,
      c.partialGrams,
      c.parts.whole,
      c.parts.numerator,
      c.parts.denominator,
      c.staffId,
    ],
  );
  const row = rows[0];
  if (!row) throw new Error('count upsert returned no row');
  return toCount(row);
}

/** Products of the venue on the till that the stocktake has no count of, by category then the till's order. */
export async function uncountedProducts(db: Queryable, venueId: string, stocktakeId: string): Promise<Stocktake['uncounted']> {
  const { rows } = await db.query<{ product_id: string; name: string; category: Category }>(
    `SELECT p.id AS product_id, p.name, p.category FROM products p
      WHERE p.venue_id = $1 AND p.archived_at IS NULL
        AND NOT EXISTS (SELECT 1 FROM stocktake_counts c WHERE c.stocktake_id = $2 AND c.product_id = p.id)
      ORDER BY p.category, p.sort_order, lower(p.name), p.id`,
    [venueId, stocktakeId],
  );
  return rows.map((r) => ({ productId: r.product_id, name: r.name, category: r.category }));
}

/** The stocktake with its counts and what is uncounted (while open); null: not the venue's. */
export async function loadStocktake(db: Queryable, venueId: string, id: string): Promise<Stocktake | null> {
  const { rows } = await db.query<{
    id: string;
    counted_at: string;
    started_at: string;
    closed_at: string | null;
    started_by: string;
    started_by_name: string;
    closed_by: string | null;
    closed_by_name: string | null;
  }>(
    `SELECT t.id, ${iso('t.counted_at')} AS counted_at, ${iso('t.started_at')} AS started_at, ${iso('t.closed_at')} AS closed_at,
            t.started_by, s.name AS started_by_name, t.closed_by, c.name AS closed_by_name
       FROM stocktakes t JOIN staff s ON s.id = t.started_by LEFT JOIN staff c ON c.id = t.closed_by
      WHERE t.id = $1 AND t.venue_id = $2`,
    [id, venueId],
  );
  const t = rows[0];
  if (!t) return null;
  const counts = await db.query<CountRow>(`${countSelect} WHERE c.stocktake_id = $1 ORDER BY p.category, p.sort_order, lower(p.name), p.id`, [id]);
  const open = t.closed_at === null;
  return {
    id: t.id,
    countedAt: t.counted_at,
    status: open ? 'open' : 'closed',
    startedAt: t.started_at,
    startedBy: { id: t.started_by, name: t.started_by_name },
    closedAt: t.closed_at,
    closedBy: t.closed_by === null ? null : { id: t.closed_by, name: t.closed_by_name ?? '' },
    counts: counts.rows.map(toCount),
    uncounted: open ? await uncountedProducts(db, venueId, id) : [],
  };
}

/**
 * Closes the stocktake in four statements of one transaction (the caller
 * holds its row for update):
 *  1. the products on the till not counted get a row at the system's figure
 *     (from_expected; the caller has checked it was asked for);
 *  2. each row gets the stock expected at counted_at: the previous closed
 *     stocktake's figure for the product plus the ledger's and the pending
 *     moves after it up to counted_at, so the cost follows the period, not the
 *     venue's whole history (a product the previous one did not have is
 *     summed from its first move);
 *  3. one stocktake_adjustment move of (counted − expected) per product that
 *     differs, dated counted_at, so the ledger holds the count at that
 *     instant and sales rung after it still count after it;
 *  4. the stocktake is closed.
 */
export async function closeStocktakeRows(db: Queryable, c: { venueId: string; stocktakeId: string; countedAt: string; staffId: string }): Promise<void> {
  await db.query(
    `INSERT INTO stocktake_counts (stocktake_id, venue_id, product_id, counted_units, from_expected)
     SELECT $2, $1, p.id, 0, true FROM products p
      WHERE p.venue_id = $1 AND p.archived_at IS NULL
        AND NOT EXISTS (SELECT 1 FROM stocktake_counts c WHERE c.stocktake_id = $2 AND c.product_id = p.id)`,
    [c.venueId, c.stocktakeId],
  );
  await db.query(
    `WITH prev AS (
       SELECT id, counted_at FROM stocktakes
        WHERE venue_id = $1 AND closed_at IS NOT NULL AND counted_at < $3
        ORDER BY counted_at DESC LIMIT 1
     ), base AS (
       SELECT c.product_id, pc.counted_units AS base_units,
              CASE WHEN pc.product_id IS NULL THEN '-infinity'::timestamptz ELSE (SELECT counted_at FROM prev) END AS base_at
         FROM stocktake_counts c
         LEFT JOIN stocktake_counts pc ON pc.stocktake_id = (SELECT id FROM prev) AND pc.product_id = c.product_id
        WHERE c.stocktake_id = $2
     ), expected AS (
       SELECT b.product_id,
              COALESCE(b.base_units, 0)
              + COALESCE((SELECT sum(l.units) FROM stock_ledger l
                           WHERE l.venue_id = $1 AND l.product_id = b.product_id AND l.at > b.base_at AND l.at <= $3), 0)
              + COALESCE((SELECT sum(m.units) FROM stock_moves m
                           WHERE m.venue_id = $1 AND m.product_id = b.product_id AND m.at > b.base_at AND m.at <= $3), 0) AS units
         FROM base b
     )
     UPDATE stocktake_counts c
        SET expected_units = e.units,
            counted_units = CASE WHEN c.from_expected THEN e.units ELSE c.counted_units END
       FROM expected e
      WHERE c.stocktake_id = $2 AND c.product_id = e.product_id`,
    [c.venueId, c.stocktakeId, c.countedAt],
  );
  await db.query(
    `INSERT INTO stock_moves (venue_id, product_id, units, cause, ref_id, staff_id, at)
     SELECT $1, product_id, counted_units - expected_units, 'stocktake_adjustment', $2, $3, $4
       FROM stocktake_counts WHERE stocktake_id = $2 AND counted_units <> expected_units
      ORDER BY product_id`,
    [c.venueId, c.stocktakeId, c.staffId, c.countedAt],
  );
  await db.query('UPDATE stocktakes SET closed_at = now(), closed_by = $3 WHERE id = $2 AND venue_id = $1', [c.venueId, c.stocktakeId, c.staffId]);
}
