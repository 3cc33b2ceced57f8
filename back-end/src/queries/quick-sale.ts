import type { ActorRecord, Queryable } from '../types.js';
import { statement } from './statement.js';
import type { ServingForSale } from './till.js';

/** A serving as a quick sale rings it up: with the VAT rate in force now, and now itself. */
export interface QuickSaleServing extends ServingForSale {
  id: string;
  rate_bp: number;
  /** The transaction's start: the moment the sale is recorded. */
  now: Date;
}

// now() is the transaction's start: the moment the sale is recorded, and the
// date whose VAT rate applies, by the venue's calendar. The rate is looked up
// as vat_rate_bp() does, but joined in: a SQL function called per line is
// planned again on every sale (0.13 against 0.06 ms for three lines).
const servingsStatement = statement(
  'quick-sale-servings',
  `SELECT s.id, s.product_id, p.name AS product_name, s.name AS serving_name, s.price_cents, p.vat_class,
          s.ml::float8 AS ml, p.unit_ml::float8 AS unit_ml, r.rate_bp, now() AS now
     FROM servings s JOIN products p ON p.id = s.product_id JOIN venues v ON v.id = s.venue_id
     LEFT JOIN LATERAL (
       SELECT rate_bp FROM vat_rates
        WHERE vat_class = p.vat_class AND effective_from <= (now() AT TIME ZONE v.time_zone)::date
        ORDER BY effective_from DESC LIMIT 1) r ON true
    WHERE s.id = ANY($1::uuid[]) AND s.venue_id = $2 AND s.active AND p.archived_at IS NULL`,
);

// The tab, its lines and payments, and the stock drawn, in one statement. The
// draw is appended to stock_moves (migration 0006): it locks no stock row, so
// a sale never waits for another sale of the same product to commit.
// Lines and payments get explicit times a microsecond apart: rows inserted by
// one statement can share a clock reading, and their order is read back by time.
const insertStatement = statement(
  'quick-sale-insert',
  `WITH tab AS (
     INSERT INTO tabs (id, venue_id, name, opened_by, opened_at, status, closed_by, closed_at, gross_cents, vat_cents, net_cents)
     VALUES ($1, $2, $3, $4, now(), 'closed', $4, now(), $5, $6, $7)
     RETURNING id
   ), line AS (
     INSERT INTO tab_lines (id, tab_id, venue_id, serving_id, product_id, description, quantity, unit_price_cents, gross_cents,
                            vat_class, vat_rate_bp, vat_cents, net_cents, stock_draw_units, added_by, added_at)
     SELECT l.id, tab.id, $2, l.serving_id, l.product_id, l.description, l.quantity, l.unit_price, l.gross,
            l.vat_class, l.rate, l.vat, l.net, l.draw, $4, now() + (l.n - 1) * interval '1 microsecond'
       FROM tab, unnest($8::uuid[], $9::uuid[], $10::uuid[], $11::text[], $12::int[], $13::int[], $14::int[],
                        $15::text[], $16::int[], $17::int[], $18::int[], $19::numeric[])
                 WITH ORDINALITY AS l (id, serving_id, product_id, description, quantity, unit_price, gross,
                                       vat_class, rate, vat, net, draw, n)
   ), payment AS (
     INSERT INTO payments (id, tab_id, venue_id, method, amount_cents, created_at)
     SELECT p.id, tab.id, $2, p.method, p.amount, now() + (p.n - 1) * interval '1 microsecond'
       FROM tab, unnest($20::uuid[], $21::text[], $22::int[]) WITH ORDINALITY AS p (id, method, amount, n)
   ), draw AS (
     INSERT INTO stock_moves (venue_id, product_id, units)
     SELECT $2, d.product_id, -d.units FROM unnest($10::uuid[], $19::numeric[]) AS d (product_id, units)
   )
   SELECT 1`,
);

/**
 * The servings a quick sale names that this venue sells now (retired ones
 * and other venues' are left out), by id: the first of its two statements.
 */
export async function servingsForQuickSale(db: Queryable, venueId: string, servingIds: string[]): Promise<Map<string, QuickSaleServing>> {
  const { rows } = await db.query<QuickSaleServing>(servingsStatement([servingIds, venueId]));
  return new Map(rows.map((r) => [r.id, r]));
}

/** A quick sale as the worker made it: ids, amounts and stock draws worked out before anything is written. */
export interface QuickSaleRows {
  id: string;
  name: string;
  grossCents: number;
  vatCents: number;
  netCents: number;
  lines: {
    id: string;
    servingId: string;
    productId: string;
    description: string;
    quantity: number;
    unitPriceCents: number;
    grossCents: number;
    vatClass: string;
    vatRateBp: number;
    vatCents: number;
    netCents: number;
    drawUnits: number;
  }[];
  payments: { id: string; method: 'cash' | 'card' | 'other'; amountCents: number }[];
}

/**
 * The second statement: the tab, lines, payments and stock draws at once.
 * Not awaited by the handler but handed to withCommit, so it goes to the
 * server with the COMMIT instead of costing a round trip of its own
 * (decision 7 in docs/architecture.md).
 */
export function insertQuickSale(db: Queryable, actor: ActorRecord, sale: QuickSaleRows): Promise<unknown> {
  return db.query(
    insertStatement([
      sale.id,
      actor.venueId,
      sale.name,
      actor.staffId,
      sale.grossCents,
      sale.vatCents,
      sale.netCents,
      sale.lines.map((l) => l.id),
      sale.lines.map((l) => l.servingId),
      sale.lines.map((l) => l.productId),
      sale.lines.map((l) => l.description),
      sale.lines.map((l) => l.quantity),
      sale.lines.map((l) => l.unitPriceCents),
      sale.lines.map((l) => l.grossCents),
      sale.lines.map((l) => l.vatClass),
      sale.lines.map((l) => l.vatRateBp),
      sale.lines.map((l) => l.vatCents),
      sale.lines.map((l) => l.netCents),
      sale.lines.map((l) => l.drawUnits),
      sale.payments.map((p) => p.id),
      sale.payments.map((p) => p.method),
      sale.payments.map((p) => p.amountCents),
    ]),
  );
}
