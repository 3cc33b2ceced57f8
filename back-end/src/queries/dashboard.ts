import type { Method, MethodCents } from '../domain/takings.js';
import type { Queryable } from '../types.js';
import { onlyRow } from './rows.js';

export interface DayFigures {
  saleCount: number;
  /** Sum of the day's sales' lines (voided lines left out). */
  salesCents: number;
  refundsCents: number;
  payments: MethodCents[];
  refunds: { refundCents: number; salePayments: MethodCents[] }[];
  products: { productId: string; name: string; servings: number; grossCents: number }[];
  openTabs: { count: number; grossCents: number };
  lowStock: { productId: string; name: string; onHandUnits: number; parUnits: number; orderUnits: number; unitMl: number | null }[];
}

interface FiguresRow {
  sales: { count: number; cents: number };
  payments: { method: Method; cents: number }[] | null;
  refunds: { cents: number; payments: { method: Method; cents: number }[] | null }[] | null;
  products: { productId: string; name: string; servings: number; grossCents: number }[] | null;
  open_tabs: { count: number; grossCents: number };
  low_stock: { productId: string; name: string; onHandUnits: number; parUnits: number; orderUnits: number; unitMl: number | null }[] | null;
}

/**
 * Everything the dashboard counts for one venue and one business day
 * [from, to), in one statement: one snapshot, so the chart's products add up
 * to the takings even while the till rings, and one round trip. Sales are
 * counted by when they were paid (tabs closed), refunds by when they were
 * made, each as the sum of its lines; open tabs and low stock are as they are
 * now, whatever the day.
 */
export async function dayFigures(db: Queryable, venueId: string, from: Date, to: Date): Promise<DayFigures> {
  const { rows } = await db.query<FiguresRow>({
    name: 'barback-dashboard-day',
    text: `WITH day_sales AS (
       SELECT id FROM tabs WHERE venue_id = $1 AND status = 'closed' AND closed_at >= $2 AND closed_at < $3
     ), sold AS (
       SELECT l.product_id, sum(l.quantity)::int AS servings, sum(l.gross_cents)::bigint AS gross
         FROM day_sales s JOIN tab_lines l ON l.tab_id = s.id
        WHERE l.voided_at IS NULL
        GROUP BY l.product_id
     ), day_refunds AS (
       SELECT id, sale_id, gross_cents FROM refunds WHERE venue_id = $1 AND refunded_at >= $2 AND refunded_at < $3
     ), refunded AS (
       SELECT l.product_id, sum(rl.quantity)::int AS servings, sum(rl.gross_cents)::bigint AS gross
         FROM day_refunds r JOIN refund_lines rl ON rl.refund_id = r.id JOIN tab_lines l ON l.id = rl.tab_line_id
        GROUP BY l.product_id
     ), per_product AS (
       SELECT p.id, p.name,
              COALESCE(s.servings, 0) - COALESCE(f.servings, 0) AS servings,
              COALESCE(s.gross, 0) + COALESCE(f.gross, 0) AS gross
         FROM sold s FULL JOIN refunded f ON f.product_id = s.product_id
         JOIN products p ON p.id = COALESCE(s.product_id, f.product_id)
     ), open_tabs AS (
       SELECT t.id, (SELECT COALESCE(sum(l.gross_cents), 0) FROM tab_lines l WHERE l.tab_id = t.id AND l.voided_at IS NULL) AS gross
         FROM tabs t WHERE t.venue_id = $1 AND t.status = 'open'
     ), low AS (
       SELECT p.id, p.name, h.stock_units, p.par_units, ceil(p.par_units - h.stock_units)::int AS order_units, p.unit_ml
         FROM products p JOIN stock_on_hand h ON h.venue_id = p.venue_id AND h.product_id = p.id
        WHERE p.venue_id = $1 AND h.venue_id = $1 AND p.archived_at IS NULL AND p.par_units > 0 AND h.stock_units < p.par_units
     )
     SELECT
       (SELECT json_build_object('count', count(*)::int, 'cents', COALESCE((SELECT sum(gross) FROM sold), 0)::bigint) FROM day_sales) AS sales,
       (SELECT json_agg(json_build_object('method', method, 'cents', cents))
          FROM (SELECT p.method, sum(p.amount_cents)::bigint AS cents FROM day_sales s JOIN payments p ON p.tab_id = s.id GROUP BY p.method) m) AS payments,
       (SELECT json_agg(json_build_object('cents', r.gross_cents, 'payments',
                 (SELECT json_agg(json_build_object('method', p.method, 'cents', p.amount_cents)) FROM payments p WHERE p.tab_id = r.sale_id)))
          FROM day_refunds r) AS refunds,
       (SELECT json_agg(json_build_object('productId', id, 'name', name, 'servings', servings, 'grossCents', gross) ORDER BY gross DESC, servings DESC, name)
          FROM per_product) AS products,
       (SELECT json_build_object('count', count(*)::int, 'grossCents', COALESCE(sum(gross), 0)::bigint) FROM open_tabs) AS open_tabs,
       (SELECT json_agg(json_build_object('productId', id, 'name', name, 'onHandUnits', stock_units::float8, 'parUnits', par_units::float8,
                 'orderUnits', order_units, 'unitMl', unit_ml::float8) ORDER BY order_units DESC, name)
          FROM low) AS low_stock`,
    values: [venueId, from, to],
  });
  const row = onlyRow({ rows });
  // json numbers: bigint sums arrive as numbers (far below 2^53 cents).
  const refunds = (row.refunds ?? []).map((r) => ({ refundCents: r.cents, salePayments: r.payments ?? [] }));
  return {
    saleCount: row.sales.count,
    salesCents: row.sales.cents,
    refundsCents: refunds.reduce((a, r) => a + r.refundCents, 0),
    payments: row.payments ?? [],
    refunds,
    products: row.products ?? [],
    openTabs: row.open_tabs,
    lowStock: row.low_stock ?? [],
  };
}
