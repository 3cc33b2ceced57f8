import type { WithCommit } from '@barback/db';
import { Errors, type ReplyOf } from '@barback/messaging';
import { formatEuro } from '../domain/minimum-price.js';
import { lineAmounts, sumAmounts } from '../domain/money.js';
import type { ActorRecord, Queryable } from '../handlers/types.js';
import { adjustStock, drawPerServing } from './catalogue.js';

export type Tab = ReplyOf<'till.getTab'>;
export type Sale = ReplyOf<'sales.getSale'>;
export type Refund = ReplyOf<'sales.refundSale'>;
type Payment = { method: 'cash' | 'card' | 'other'; amountCents: number };

interface TabRow {
  id: string;
  name: string;
  status: 'open' | 'closed';
  opened_at: Date;
  opened_by: string;
  opened_by_name: string;
  closed_at: Date | null;
  closed_by: string | null;
  closed_by_name: string | null;
  gross_cents: number | null;
  vat_cents: number | null;
  net_cents: number | null;
}

interface LineRow {
  id: string;
  tab_id: string;
  serving_id: string;
  product_id: string;
  description: string;
  quantity: number;
  unit_price_cents: number;
  gross_cents: number;
  vat_rate_bp: number | null;
  vat_cents: number | null;
  net_cents: number | null;
  added_at: Date;
  voided_at: Date | null;
  void_reason: string | null;
  refunded: boolean;
}

const TAB_SELECT = `
  SELECT t.id, t.name, t.status, t.opened_at, t.opened_by, o.name AS opened_by_name,
         t.closed_at, t.closed_by, c.name AS closed_by_name, t.gross_cents, t.vat_cents, t.net_cents
    FROM tabs t JOIN staff o ON o.id = t.opened_by LEFT JOIN staff c ON c.id = t.closed_by`;

async function linesOf(db: Queryable, tabIds: string[]): Promise<Map<string, LineRow[]>> {
  const byTab = new Map<string, LineRow[]>(tabIds.map((id) => [id, []]));
  if (!tabIds.length) return byTab;
  const { rows } = await db.query<LineRow>(
    `SELECT l.id, l.tab_id, l.serving_id, l.product_id, l.description, l.quantity, l.unit_price_cents, l.gross_cents,
            l.vat_rate_bp, l.vat_cents, l.net_cents, l.added_at, l.voided_at, l.void_reason,
            EXISTS (SELECT 1 FROM refund_lines r WHERE r.tab_line_id = l.id) AS refunded
       FROM tab_lines l WHERE l.tab_id = ANY($1::uuid[]) ORDER BY l.added_at, l.id`,
    [tabIds],
  );
  for (const row of rows) byTab.get(row.tab_id)!.push(row);
  return byTab;
}

/** What a line shows on a tab and on a sale alike. */
function lineFields(l: LineRow) {
  return {
    id: l.id,
    servingId: l.serving_id,
    productId: l.product_id,
    description: l.description,
    quantity: l.quantity,
    unitPriceCents: l.unit_price_cents,
    grossCents: l.gross_cents,
  };
}

function toTab(row: TabRow, lines: LineRow[]): Tab {
  return {
    id: row.id,
    name: row.name,
    status: row.status,
    openedAt: row.opened_at.toISOString(),
    openedBy: { id: row.opened_by, name: row.opened_by_name },
    lines: lines.map((l) => ({
      ...lineFields(l),
      addedAt: l.added_at.toISOString(),
      voided: l.voided_at !== null,
      voidReason: l.void_reason,
    })),
    grossCents: lines.filter((l) => !l.voided_at).reduce((sum, l) => sum + l.gross_cents, 0),
  };
}

/** Tabs of this venue, open or closed, by id; ids of other venues are simply not found. */
export async function loadTabs(db: Queryable, venueId: string, where: string, values: unknown[]): Promise<Tab[]> {
  const { rows } = await db.query<TabRow>(`${TAB_SELECT} WHERE t.venue_id = $1 AND ${where}`, [venueId, ...values]);
  const lines = await linesOf(db, rows.map((r) => r.id));
  return rows.map((r) => toTab(r, lines.get(r.id)!));
}

export async function getTab(db: Queryable, venueId: string, id: string): Promise<Tab> {
  const [tab] = await loadTabs(db, venueId, 't.id = $2', [id]);
  if (!tab) throw new Errors.notFound('Tab');
  return tab;
}

/** Locks an open tab of this venue for the rest of the transaction, so lines and payment cannot interleave. */
export async function lockOpenTab(db: Queryable, venueId: string, id: string): Promise<void> {
  const { rows } = await db.query<{ status: string }>('SELECT status FROM tabs WHERE id = $1 AND venue_id = $2 FOR UPDATE', [id, venueId]);
  if (!rows[0]) throw new Errors.notFound('Tab');
  if (rows[0].status !== 'open') throw new Errors.tabClosed();
}

export async function insertTab(db: Queryable, actor: ActorRecord, name: string): Promise<string> {
  const { rows } = await db.query<{ id: string }>('INSERT INTO tabs (venue_id, name, opened_by) VALUES ($1, $2, $3) RETURNING id', [
    actor.venueId,
    name.trim(),
    actor.staffId,
  ]);
  return rows[0]!.id;
}

/** What ringing up a serving needs of it: its price, VAT class and the stock it draws. */
export interface ServingForSale {
  product_id: string;
  description: string;
  price_cents: number;
  vat_class: string;
  ml: number | null;
  unit_ml: number | null;
}

/**
 * Rings up serving × quantity at today's price and draws it from stock (it has
 * been poured), the draw going with the commit. Retired servings and other
 * venues' servings are not found.
 */
export async function addLine(
  db: Queryable,
  actor: ActorRecord,
  tabId: string,
  servingId: string,
  quantity: number,
  withCommit: WithCommit,
): Promise<void> {
  const { rows } = await db.query<ServingForSale>(
    `SELECT s.product_id, p.name || ' (' || s.name || ')' AS description, s.price_cents, p.vat_class,
            s.ml::float8 AS ml, p.unit_ml::float8 AS unit_ml
       FROM servings s JOIN products p ON p.id = s.product_id
      WHERE s.id = $1 AND s.venue_id = $2 AND s.active`,
    [servingId, actor.venueId],
  );
  const serving = rows[0];
  if (!serving) throw new Errors.notFound('Serving');
  const draw = drawPerServing(serving.ml, serving.unit_ml) * quantity;
  await db.query(
    `INSERT INTO tab_lines (tab_id, venue_id, serving_id, product_id, description, quantity, unit_price_cents, gross_cents,
                            vat_class, stock_draw_units, added_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
    [tabId, actor.venueId, servingId, serving.product_id, serving.description, quantity, serving.price_cents,
      serving.price_cents * quantity, serving.vat_class, draw, actor.staffId],
  );
  withCommit(adjustStock(db, actor.venueId, serving.product_id, -draw));
}

/**
 * Records the sale: every line not voided gets the VAT rate in force now (by
 * the venue's calendar), its VAT and net; payments must add up to the total
 * exactly. The caller's transaction holds the tab's lock.
 */
export async function closeTab(db: Queryable, actor: ActorRecord, tabId: string, payments: Payment[]): Promise<void> {
  const { rows: lines } = await db.query<{ id: string; gross_cents: number; quantity: number; unit_price_cents: number; rate_bp: number }>(
    `SELECT l.id, l.gross_cents, l.quantity, l.unit_price_cents, vat_rate_bp(l.vat_class, now(), v.time_zone) AS rate_bp
       FROM tab_lines l JOIN venues v ON v.id = l.venue_id
      WHERE l.tab_id = $1 AND l.voided_at IS NULL`,
    [tabId],
  );
  if (!lines.length) throw new Errors.emptyTab();
  const amounts = lines.map((l) => ({ id: l.id, rate: l.rate_bp, ...lineAmounts(l.unit_price_cents, l.quantity, l.rate_bp) }));
  const total = sumAmounts(amounts);
  const paid = payments.reduce((sum, p) => sum + p.amountCents, 0);
  if (paid !== total.grossCents) throw new Errors.paymentsMismatch(formatEuro(paid), formatEuro(total.grossCents));

  await db.query(
    `UPDATE tab_lines l SET vat_rate_bp = a.rate, vat_cents = a.vat, net_cents = a.net
       FROM unnest($1::uuid[], $2::int[], $3::int[], $4::int[]) AS a(id, rate, vat, net) WHERE l.id = a.id`,
    [amounts.map((a) => a.id), amounts.map((a) => a.rate), amounts.map((a) => a.vatCents), amounts.map((a) => a.netCents)],
  );
  await db.query(
    `INSERT INTO payments (tab_id, venue_id, method, amount_cents)
     SELECT $1, $2, m, a FROM unnest($3::text[], $4::int[]) WITH ORDINALITY AS p(m, a, n) ORDER BY n`,
    [tabId, actor.venueId, payments.map((p) => p.method), payments.map((p) => p.amountCents)],
  );
  await db.query(
    `UPDATE tabs SET status = 'closed', closed_at = now(), closed_by = $2, gross_cents = $3, vat_cents = $4, net_cents = $5
      WHERE id = $1`,
    [tabId, actor.staffId, total.grossCents, total.vatCents, total.netCents],
  );
}

interface RefundRow {
  id: string;
  sale_id: string;
  reason: string;
  refunded_at: Date;
  refunded_by: string;
  refunded_by_name: string;
  gross_cents: number;
  vat_cents: number;
  net_cents: number;
  lines: Refund['lines'];
}

export async function loadRefunds(db: Queryable, where: string, values: unknown[]): Promise<Refund[]> {
  const { rows } = await db.query<RefundRow>(
    `SELECT r.id, r.sale_id, r.reason, r.refunded_at, r.refunded_by, s.name AS refunded_by_name,
            r.gross_cents, r.vat_cents, r.net_cents,
            (SELECT json_agg(json_build_object('lineId', rl.tab_line_id, 'quantity', rl.quantity, 'grossCents', rl.gross_cents,
                                               'vatCents', rl.vat_cents, 'netCents', rl.net_cents))
               FROM refund_lines rl WHERE rl.refund_id = r.id) AS lines
       FROM refunds r JOIN staff s ON s.id = r.refunded_by WHERE ${where} ORDER BY r.refunded_at, r.id`,
    values,
  );
  return rows.map((r) => ({
    id: r.id,
    saleId: r.sale_id,
    reason: r.reason,
    refundedAt: r.refunded_at.toISOString(),
    refundedBy: { id: r.refunded_by, name: r.refunded_by_name },
    lines: r.lines ?? [],
    grossCents: r.gross_cents,
    vatCents: r.vat_cents,
    netCents: r.net_cents,
  }));
}

/** Closed tabs of this venue, with their lines (voided ones left out), payments and refunds. */
export async function loadSales(db: Queryable, venueId: string, where: string, values: unknown[]): Promise<Sale[]> {
  const { rows } = await db.query<TabRow>(
    `${TAB_SELECT} WHERE t.venue_id = $1 AND t.status = 'closed' AND ${where} ORDER BY t.closed_at DESC, t.id LIMIT 500`,
    [venueId, ...values],
  );
  const ids = rows.map((r) => r.id);
  if (!ids.length) return [];
  // One after another: inside a write this is a single transaction's client, which runs one query at a time.
  const lines = await linesOf(db, ids);
  const payments = await db.query<{ id: string; tab_id: string; method: Payment['method']; amount_cents: number }>(
    'SELECT id, tab_id, method, amount_cents FROM payments WHERE tab_id = ANY($1::uuid[]) ORDER BY created_at, id',
    [ids],
  );
  const refunds = await loadRefunds(db, 'r.sale_id = ANY($1::uuid[])', [ids]);
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    openedAt: r.opened_at.toISOString(),
    closedAt: r.closed_at!.toISOString(),
    closedBy: { id: r.closed_by!, name: r.closed_by_name! },
    lines: lines
      .get(r.id)!
      .filter((l) => !l.voided_at)
      .map((l) => ({
        ...lineFields(l),
        vatRateBp: l.vat_rate_bp!,
        vatCents: l.vat_cents!,
        netCents: l.net_cents!,
        refunded: l.refunded,
      })),
    payments: payments.rows
      .filter((p) => p.tab_id === r.id)
      .map((p) => ({ id: p.id, method: p.method, amountCents: p.amount_cents })),
    refunds: refunds.filter((f) => f.saleId === r.id),
    grossCents: r.gross_cents!,
    vatCents: r.vat_cents!,
    netCents: r.net_cents!,
  }));
}

export async function getSale(db: Queryable, venueId: string, id: string): Promise<Sale> {
  const [sale] = await loadSales(db, venueId, 't.id = $2', [id]);
  if (!sale) throw new Errors.notFound('Sale');
  return sale;
}
