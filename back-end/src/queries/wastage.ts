import type { ReplyOf } from '@barback/messaging';
import { splitPage, type PageKey } from '../domain/cursor.js';
import type { Queryable } from '../types.js';

export type Wastage = ReplyOf<'wastage.recordWastage'>;
type Reason = Wastage['reason'];

/** What recordWastage needs of the product (null: not this venue's). */
export async function productForWastage(db: Queryable, venueId: string, productId: string): Promise<{ unit_ml: string | null } | null> {
  const { rows } = await db.query<{ unit_ml: string | null }>('SELECT unit_ml::text FROM products WHERE id = $1 AND venue_id = $2', [
    productId,
    venueId,
  ]);
  return rows[0] ?? null;
}

/** Whether the serving is one of this product's (retired ones too: a spill is recorded after the menu changed). */
export async function isServingOf(db: Queryable, venueId: string, productId: string, servingId: string): Promise<boolean> {
  const { rowCount } = await db.query('SELECT 1 FROM servings WHERE id = $1 AND product_id = $2 AND venue_id = $3', [servingId, productId, venueId]);
  return rowCount === 1;
}

interface WastageRow {
  id: string;
  product_id: string;
  stock_units: string;
  cost_cents: string;
  reason: Reason;
  note: string | null;
  recorded_at: Date;
  key_at: string;
  staff_id: string;
  staff_name: string;
}

function toWastage(r: WastageRow): Wastage {
  return {
    id: r.id,
    productId: r.product_id,
    stockUnits: Number(r.stock_units),
    costCents: Number(r.cost_cents),
    reason: r.reason,
    note: r.note,
    recordedAt: r.recorded_at.toISOString(),
    recordedBy: { id: r.staff_id, name: r.staff_name },
  };
}

/**
 * Writes the record and its stock move in one statement. The stock units are
 * worked out here, in numeric: ml / unit_ml, or a serving's ml / unit_ml ×
 * servings (a serving without ml, or a product counted in units, draws one
 * unit, as a sale does: domain/catalogue.ts drawPerServing), or the units
 * given; the cost is round(units × cost per unit), half up (numeric's round),
 * from the same unrounded units, the one rounding.
 */
export async function insertWastage(
  db: Queryable,
  w: {
    venueId: string;
    productId: string;
    reason: Reason;
    note: string | null;
    ml: number | null;
    units: string | null;
    servingId: string | null;
    servings: number | null;
    staffId: string;
    staffName: string;
  },
): Promise<Wastage> {
  const { rows } = await db.query<WastageRow>(
    `WITH amount AS (
       SELECT p.id AS product_id, p.unit_cost_cents,
              CASE WHEN $5::numeric IS NOT NULL THEN $5::numeric / p.unit_ml
                   WHEN $6::numeric IS NOT NULL THEN $6::numeric
                   ELSE COALESCE(s.ml / p.unit_ml, 1) * $8::int END AS units
         FROM products p LEFT JOIN servings s ON s.id = $7::uuid AND s.product_id = p.id
        WHERE p.id = $2 AND p.venue_id = $1
     ), wasted AS (
       INSERT INTO wastage (venue_id, product_id, reason, note, ml, units, serving_id, servings, stock_units, unit_cost_cents, cost_cents, recorded_by)
       SELECT $1, a.product_id, $3, $4, $5, $6, $7, $8, a.units, a.unit_cost_cents, round(a.units * a.unit_cost_cents), $9
         FROM amount a
       RETURNING id, product_id, stock_units, cost_cents, reason, note, recorded_at
     ), moved AS (
       INSERT INTO stock_moves (venue_id, product_id, units, cause, ref_id, staff_id)
       SELECT $1, w.product_id, -w.stock_units, 'wastage', w.id, $9 FROM wasted w
     )
     SELECT w.id, w.product_id, w.stock_units::text, w.cost_cents::text, w.reason, w.note, w.recorded_at,
            to_char(w.recorded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS key_at, $9::uuid AS staff_id, $10::text AS staff_name
       FROM wasted w`,
    [w.venueId, w.productId, w.reason, w.note, w.ml, w.units, w.servingId, w.servings, w.staffId, w.staffName],
  );
  const row = rows[0];
  if (!row) throw new Error('wastage of a product checked a moment ago was not written');
  return toWastage(row);
}

/**
 * Wastage recorded in [from, to), of one reason or all, newest first by
 * (recorded_at, id), a page after `after` (wastage_venue_recorded, 0015).
 */
export async function wastageBetween(
  db: Queryable,
  venueId: string,
  q: { from: Date | null; to: Date | null; reason: Reason | null; after: PageKey | null; limit: number },
): Promise<{ items: Wastage[]; nextKey: PageKey | null }> {
  const { rows } = await db.query<WastageRow>(
    `SELECT w.id, w.product_id, w.stock_units::text, w.cost_cents::text, w.reason, w.note, w.recorded_at,
            to_char(w.recorded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS key_at, s.id AS staff_id, s.name AS staff_name
       FROM wastage w JOIN staff s ON s.id = w.recorded_by
      WHERE w.venue_id = $1
        AND ($2::timestamptz IS NULL OR w.recorded_at >= $2) AND ($3::timestamptz IS NULL OR w.recorded_at < $3)
        AND ($4::text IS NULL OR w.reason = $4)
        AND ($5::timestamptz IS NULL OR (w.recorded_at, w.id) < ($5, $6::uuid))
      ORDER BY w.recorded_at DESC, w.id DESC
      LIMIT $7`,
    [venueId, q.from, q.to, q.reason, q.after?.at ?? null, q.after?.id ?? null, q.limit + 1],
  );
  const page = splitPage(rows, q.limit, (r) => ({ at: r.key_at, id: r.id }));
  return { items: page.rows.map(toWastage), nextKey: page.nextKey };
}
