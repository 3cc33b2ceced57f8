import type { ReplyOf } from '@barback/messaging';
import { splitPage, type PageKey } from '../domain/cursor.js';
import type { Queryable } from '../types.js';

export type ReorderList = ReplyOf<'stock.getReorderList'>;
export type StockMovesPage = ReplyOf<'stock.listStockMoves'>;
type Group = ReorderList['groups'][number];
type Move = StockMovesPage['items'][number];

interface ReorderRow {
  product_id: string;
  name: string;
  category: Group['lines'][number]['category'];
  stock_units: number;
  par_units: number;
  order_units: number;
  unit_cost_cents: number;
  supplier_id: string | null;
  supplier_name: string | null;
  email: string | null;
  phone: string | null;
}

/**
 * Products on the till below par (par above 0: par 0 never alerts, as in
 * check_par, 0013), each with ceil(par − on hand) to order and the supplier of
 * its last invoice (a credit note is a return, not where to buy).
 */
export async function reorderList(db: Queryable, venueId: string): Promise<ReorderList> {
  const { rows } = await db.query<ReorderRow>(
    `WITH below AS (
       SELECT p.id, p.name, p.category, p.sort_order, o.stock_units, p.par_units, p.unit_cost_cents,
              ceil(p.par_units - o.stock_units)::int AS order_units
         FROM products p JOIN stock_on_hand o ON o.venue_id = p.venue_id AND o.product_id = p.id
        WHERE p.venue_id = $1 AND p.archived_at IS NULL AND p.par_units > 0 AND o.stock_units < p.par_units
     ), last_supplier AS (
       SELECT DISTINCT ON (l.product_id) l.product_id, d.supplier_id
         FROM delivery_lines l JOIN deliveries d ON d.id = l.delivery_id
        WHERE l.venue_id = $1 AND d.kind = 'invoice' AND l.product_id IN (SELECT id FROM below)
        ORDER BY l.product_id, d.recorded_at DESC, d.id DESC
     )
     SELECT b.id AS product_id, b.name, b.category, b.stock_units::float8 AS stock_units, b.par_units::float8 AS par_units,
            b.order_units, b.unit_cost_cents, s.id AS supplier_id, s.name AS supplier_name, s.email, s.phone
       FROM below b LEFT JOIN last_supplier ls ON ls.product_id = b.id LEFT JOIN suppliers s ON s.id = ls.supplier_id
      ORDER BY s.name NULLS LAST, s.id, b.category, b.sort_order, lower(b.name), b.id`,
    [venueId],
  );
  const groups: Group[] = [];
  for (const r of rows) {
    let group = groups.at(-1);
    if (!group || (group.supplier?.id ?? null) !== r.supplier_id) {
      group = {
        supplier: r.supplier_id === null ? null : { id: r.supplier_id, name: r.supplier_name ?? '', email: r.email, phone: r.phone },
        lines: [],
        costCents: 0,
      };
      groups.push(group);
    }
    const costCents = r.order_units * r.unit_cost_cents;
    group.lines.push({
      productId: r.product_id,
      name: r.name,
      category: r.category,
      stockUnits: r.stock_units,
      parUnits: r.par_units,
      orderUnits: r.order_units,
      unitCostCents: r.unit_cost_cents,
      costCents,
    });
    group.costCents += costCents;
  }
  return { groups, costCents: groups.reduce((t, g) => t + g.costCents, 0) };
}

/** Whether the product is the venue's (another venue's is answered like an unknown one). */
export async function isVenueProduct(db: Queryable, venueId: string, productId: string): Promise<boolean> {
  const { rowCount } = await db.query('SELECT 1 FROM products WHERE id = $1 AND venue_id = $2', [productId, venueId]);
  return rowCount === 1;
}

interface MoveRow {
  id: string;
  units: number;
  balance_units: number;
  cause: Move['cause'];
  ref_id: string | null;
  staff_id: string | null;
  staff_name: string | null;
  at: string;
  key_at: string;
}

/**
 * A product's ledger rows newest first in the fold's order (id), which is the
 * order of the running balance, a page after `after` (by id alone, as the
 * events' position), over stock_ledger_product_id (0016).
 */
export async function stockMovesOf(
  db: Queryable,
  venueId: string,
  productId: string,
  q: { after: PageKey | null; limit: number },
): Promise<{ items: Move[]; nextKey: PageKey | null }> {
  const { rows } = await db.query<MoveRow>(
    `SELECT l.id::text, l.units::float8 AS units, l.balance_units::float8 AS balance_units, l.cause, l.ref_id, l.staff_id, s.name AS staff_name,
            to_char(l.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS at,
            to_char(l.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS key_at
       FROM stock_ledger l LEFT JOIN staff s ON s.id = l.staff_id
      WHERE l.venue_id = $1 AND l.product_id = $2 AND ($3::bigint IS NULL OR l.id < $3)
      ORDER BY l.id DESC
      LIMIT $4`,
    [venueId, productId, q.after?.id ?? null, q.limit + 1],
  );
  const page = splitPage(rows, q.limit, (r) => ({ at: r.key_at, id: r.id }));
  return {
    items: page.rows.map((r) => ({
      id: r.id,
      units: r.units,
      balanceUnits: r.balance_units,
      cause: r.cause,
      refId: r.ref_id,
      staff: r.staff_id === null ? null : { id: r.staff_id, name: r.staff_name ?? '' },
      at: r.at,
    })),
    nextKey: page.nextKey,
  };
}
