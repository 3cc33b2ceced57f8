import { Errors, type ReplyOf } from '@barback/messaging';
import { splitPage, type PageKey } from '../domain/cursor.js';
import type { LineAmounts } from '../domain/money.js';
import type { ActorRecord, Queryable } from '../types.js';
import { onlyRow } from './rows.js';

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
  voided_by: string | null;
  voided_by_name: string | null;
  product_name: string;
  serving_name: string;
}

const TAB_COLUMNS = `t.id, t.name, t.status, t.opened_at, t.opened_by, o.name AS opened_by_name,
       t.closed_at, t.closed_by, c.name AS closed_by_name, t.gross_cents, t.vat_cents, t.net_cents`;
const TAB_FROM = 'FROM tabs t JOIN staff o ON o.id = t.opened_by LEFT JOIN staff c ON c.id = t.closed_by';
const TAB_SELECT = `SELECT ${TAB_COLUMNS} ${TAB_FROM}`;

async function linesOf(db: Queryable, tabIds: string[]): Promise<Map<string, LineRow[]>> {
  const byTab = new Map<string, LineRow[]>(tabIds.map((id) => [id, []]));
  if (!tabIds.length) return byTab;
  const { rows } = await db.query<LineRow>(
    `SELECT l.id, l.tab_id, l.serving_id, l.product_id, l.description, l.quantity, l.unit_price_cents, l.gross_cents,
            l.vat_rate_bp, l.vat_cents, l.net_cents, l.added_at, l.voided_at, l.void_reason,
            EXISTS (SELECT 1 FROM refund_lines r WHERE r.tab_line_id = l.id) AS refunded,
            l.voided_by, vs.name AS voided_by_name, p.name AS product_name, sv.name AS serving_name
       FROM tab_lines l
       JOIN products p ON p.id = l.product_id
       JOIN servings sv ON sv.id = l.serving_id
       LEFT JOIN staff vs ON vs.id = l.voided_by
      WHERE l.tab_id = ANY($1::uuid[]) ORDER BY l.added_at, l.id`,
    [tabIds],
  );
  for (const row of rows) byTab.get(row.tab_id)?.push(row);
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

async function withLines(db: Queryable, rows: TabRow[]): Promise<Tab[]> {
  const lines = await linesOf(db, rows.map((r) => r.id));
  return rows.map((r) => toTab(r, lines.get(r.id) ?? []));
}

/** The venue's open tabs, oldest first, as the till lists them. */
export async function listOpenTabs(db: Queryable, venueId: string): Promise<Tab[]> {
  const { rows } = await db.query<TabRow>(`${TAB_SELECT} WHERE t.venue_id = $1 AND t.status = 'open' ORDER BY t.opened_at, t.id`, [venueId]);
  return withLines(db, rows);
}

/** One tab of this venue, open or closed; 404 for an id of another venue, exactly like an unknown one. */
export async function tabById(db: Queryable, venueId: string, id: string): Promise<Tab> {
  const { rows } = await db.query<TabRow>(`${TAB_SELECT} WHERE t.venue_id = $1 AND t.id = $2`, [venueId, id]);
  const [tab] = await withLines(db, rows);
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
  const inserted = await db.query<{ id: string }>('INSERT INTO tabs (venue_id, name, opened_by) VALUES ($1, $2, $3) RETURNING id', [
    actor.venueId,
    name,
    actor.staffId,
  ]);
  return onlyRow(inserted).id;
}

/** What ringing up a serving needs of it: its names, price, VAT class and the stock it draws. */
export interface ServingForSale {
  product_id: string;
  product_name: string;
  serving_name: string;
  price_cents: number;
  vat_class: string;
  ml: number | null;
  unit_ml: number | null;
}

/** A serving this venue sells now; retired servings, archived products' and other venues' servings are not found. */
export async function servingForSale(db: Queryable, venueId: string, servingId: string): Promise<ServingForSale> {
  const { rows } = await db.query<ServingForSale>(
    `SELECT s.product_id, p.name AS product_name, s.name AS serving_name, s.price_cents, p.vat_class,
            s.ml::float8 AS ml, p.unit_ml::float8 AS unit_ml
       FROM servings s JOIN products p ON p.id = s.product_id
      WHERE s.id = $1 AND s.venue_id = $2 AND s.active AND p.archived_at IS NULL`,
    [servingId, venueId],
  );
  if (!rows[0]) throw new Errors.notFound('Serving');
  return rows[0];
}

/** A line rung up on an open tab, at the price of the moment; its VAT is fixed when the tab is paid. */
export interface NewTabLine {
  servingId: string;
  productId: string;
  description: string;
  quantity: number;
  unitPriceCents: number;
  grossCents: number;
  vatClass: string;
  drawUnits: number;
}

/** Its id: the line's event (tab.lineAdded) names it. */
export async function insertTabLine(db: Queryable, actor: ActorRecord, tabId: string, line: NewTabLine): Promise<string> {
  const inserted = await db.query<{ id: string }>(
    `INSERT INTO tab_lines (tab_id, venue_id, serving_id, product_id, description, quantity, unit_price_cents, gross_cents,
                            vat_class, stock_draw_units, added_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id`,
    [tabId, actor.venueId, line.servingId, line.productId, line.description, line.quantity, line.unitPriceCents,
      line.grossCents, line.vatClass, line.drawUnits, actor.staffId],
  );
  return onlyRow(inserted).id;
}

/** A tab's line as a void needs it; undefined when the tab has no such line. */
export async function tabLineToVoid(
  db: Queryable,
  tabId: string,
  lineId: string,
): Promise<{ voided: boolean; product_id: string; draw: number; description: string; gross_cents: number } | undefined> {
  const { rows } = await db.query<{ voided: boolean; product_id: string; draw: number; description: string; gross_cents: number }>(
    `SELECT voided_at IS NOT NULL AS voided, product_id, stock_draw_units::float8 AS draw, description, gross_cents
       FROM tab_lines WHERE id = $1 AND tab_id = $2`,
    [lineId, tabId],
  );
  return rows[0];
}

/** Moves lines of one tab to another (splitting a bill); lines of any other tab are left alone. */
export async function moveTabLines(db: Queryable, fromTabId: string, toTabId: string, lineIds: string[]): Promise<void> {
  await db.query('UPDATE tab_lines SET tab_id = $2 WHERE tab_id = $1 AND id = ANY($3::uuid[])', [fromTabId, toTabId, lineIds]);
}

export async function markLineVoided(db: Queryable, lineId: string, staffId: string, reason: string): Promise<void> {
  await db.query('UPDATE tab_lines SET voided_at = now(), voided_by = $2, void_reason = $3 WHERE id = $1', [lineId, staffId, reason]);
}

/** The lines a tab charges for (voided ones left out), each with the VAT rate in force now by the venue's calendar. */
export async function linesToCharge(
  db: Queryable,
  tabId: string,
): Promise<{ id: string; quantity: number; unit_price_cents: number; rate_bp: number }[]> {
  const { rows } = await db.query<{ id: string; quantity: number; unit_price_cents: number; rate_bp: number }>(
    `SELECT l.id, l.quantity, l.unit_price_cents, vat_rate_bp(l.vat_class, now(), v.time_zone) AS rate_bp
       FROM tab_lines l JOIN venues v ON v.id = l.venue_id
      WHERE l.tab_id = $1 AND l.voided_at IS NULL`,
    [tabId],
  );
  return rows;
}

/**
 * Records the sale of a locked open tab: each line's VAT rate, VAT and net as
 * charged, the payments in the order given, and the tab closed with its totals.
 */
export async function recordTabSale(
  db: Queryable,
  actor: ActorRecord,
  tabId: string,
  lines: (LineAmounts & { id: string; rateBp: number })[],
  total: LineAmounts,
  payments: Payment[],
): Promise<void> {
  await db.query(
    `UPDATE tab_lines l SET vat_rate_bp = a.rate, vat_cents = a.vat, net_cents = a.net
       FROM unnest($1::uuid[], $2::int[], $3::int[], $4::int[]) AS a(id, rate, vat, net) WHERE l.id = a.id`,
    [lines.map((a) => a.id), lines.map((a) => a.rateBp), lines.map((a) => a.vatCents), lines.map((a) => a.netCents)],
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

/* ------------------------------------------------------------------ refunds */

/** Locks a sale of this venue, so refunds of it run one at a time and a line cannot be refunded twice; 404 otherwise. */
export async function lockSale(db: Queryable, venueId: string, saleId: string): Promise<void> {
  const { rowCount } = await db.query("SELECT id FROM tabs WHERE id = $1 AND venue_id = $2 AND status = 'closed' FOR UPDATE", [saleId, venueId]);
  if (!rowCount) throw new Errors.notFound('Sale');
}

export interface RefundableLine {
  id: string;
  quantity: number;
  gross_cents: number;
  vat_cents: number;
  net_cents: number;
  refunded: boolean;
}

/** The ways a sale was paid, each once: one for a sale paid one way, more for a split payment. */
export async function saleMethods(db: Queryable, saleId: string): Promise<Payment['method'][]> {
  const { rows } = await db.query<{ method: Payment['method'] }>('SELECT DISTINCT method FROM payments WHERE tab_id = $1 ORDER BY method', [saleId]);
  return rows.map((r) => r.method);
}

/** The lines a sale charged for, in the order rung up, and whether each has been refunded already. */
export async function saleLinesForRefund(db: Queryable, saleId: string): Promise<RefundableLine[]> {
  const { rows } = await db.query<RefundableLine>(
    `SELECT l.id, l.quantity, l.gross_cents, l.vat_cents, l.net_cents,
            EXISTS (SELECT 1 FROM refund_lines r WHERE r.tab_line_id = l.id) AS refunded
       FROM tab_lines l WHERE l.tab_id = $1 AND l.voided_at IS NULL ORDER BY l.added_at, l.id`,
    [saleId],
  );
  return rows;
}

/** The refund's own negative entry and one negative line per line given back; returns its id. */
export async function insertRefund(
  db: Queryable,
  actor: ActorRecord,
  refund: { saleId: string; reason: string; method: Payment['method']; lineIds: string[]; grossCents: number; vatCents: number; netCents: number },
): Promise<string> {
  const inserted = await db.query<{ id: string }>(
    `INSERT INTO refunds (venue_id, sale_id, reason, method, refunded_by, gross_cents, vat_cents, net_cents)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
    [actor.venueId, refund.saleId, refund.reason, refund.method, actor.staffId, refund.grossCents, refund.vatCents, refund.netCents],
  );
  const refundId = onlyRow(inserted).id;
  await db.query(
    `INSERT INTO refund_lines (refund_id, tab_line_id, quantity, gross_cents, vat_cents, net_cents)
     SELECT $1, l.id, l.quantity, -l.gross_cents, -l.vat_cents, -l.net_cents FROM tab_lines l WHERE l.id = ANY($2::uuid[])`,
    [refundId, refund.lineIds],
  );
  return refundId;
}

interface RefundRow {
  id: string;
  sale_id: string;
  reason: string;
  method: Payment['method'];
  refunded_at: Date;
  refunded_by: string;
  refunded_by_name: string;
  gross_cents: number;
  vat_cents: number;
  net_cents: number;
  /** json_agg of no rows is null. */
  lines: Refund['lines'] | null;
}

const REFUND_SELECT = `
  SELECT r.id, r.sale_id, r.reason, r.method, r.refunded_at, r.refunded_by, s.name AS refunded_by_name,
         r.gross_cents, r.vat_cents, r.net_cents,
         (SELECT json_agg(json_build_object('lineId', rl.tab_line_id, 'quantity', rl.quantity, 'grossCents', rl.gross_cents,
                                            'vatCents', rl.vat_cents, 'netCents', rl.net_cents))
            FROM refund_lines rl WHERE rl.refund_id = r.id) AS lines
    FROM refunds r JOIN staff s ON s.id = r.refunded_by`;

function toRefund(r: RefundRow): Refund {
  return {
    id: r.id,
    saleId: r.sale_id,
    reason: r.reason,
    method: r.method,
    refundedAt: r.refunded_at.toISOString(),
    refundedBy: { id: r.refunded_by, name: r.refunded_by_name },
    lines: r.lines ?? [],
    grossCents: r.gross_cents,
    vatCents: r.vat_cents,
    netCents: r.net_cents,
  };
}

/** A refund just recorded, as its reply. */
export async function refundById(db: Queryable, id: string): Promise<Refund> {
  const { rows } = await db.query<RefundRow>(`${REFUND_SELECT} WHERE r.id = $1`, [id]);
  if (!rows[0]) throw new Errors.notFound('Refund');
  return toRefund(rows[0]);
}

async function refundsOfSales(db: Queryable, saleIds: string[]): Promise<Refund[]> {
  const { rows } = await db.query<RefundRow>(`${REFUND_SELECT} WHERE r.sale_id = ANY($1::uuid[]) ORDER BY r.refunded_at, r.id`, [saleIds]);
  return rows.map(toRefund);
}

/* -------------------------------------------------------------------- sales */

/** Closed tabs, with their lines (voided ones left out), payments and refunds, in the order of `rows`. */
async function salesOf(db: Queryable, rows: TabRow[]): Promise<Sale[]> {
  const ids = rows.map((r) => r.id);
  if (!ids.length) return [];
  // One after another: inside a write this is a single transaction's client, which runs one query at a time.
  const lines = await linesOf(db, ids);
  const payments = await db.query<{ id: string; tab_id: string; method: Payment['method']; amount_cents: number }>(
    'SELECT id, tab_id, method, amount_cents FROM payments WHERE tab_id = ANY($1::uuid[]) ORDER BY created_at, id',
    [ids],
  );
  const refunds = await refundsOfSales(db, ids);
  return rows.map((r) => {
    const closed = closing(r);
    return {
      id: r.id,
      name: r.name,
      openedAt: r.opened_at.toISOString(),
      closedAt: closed.closedAt,
      closedBy: closed.closedBy,
      lines: (lines.get(r.id) ?? [])
        .filter((l) => !l.voided_at)
        .map((l) => ({ ...lineFields(l), ...vatCharged(l), refunded: l.refunded, productName: l.product_name, servingName: l.serving_name })),
      voids: (lines.get(r.id) ?? []).filter((l) => l.voided_at).map(voidOf),
      payments: payments.rows
        .filter((p) => p.tab_id === r.id)
        .map((p) => ({ id: p.id, method: p.method, amountCents: p.amount_cents })),
      refunds: refunds.filter((f) => f.saleId === r.id),
      grossCents: closed.grossCents,
      vatCents: closed.vatCents,
      netCents: closed.netCents,
    };
  });
}

/**
 * What closing a tab filled in (recordTabSale, insertQuickSale): a closed tab
 * without it is a bug, and fails the read rather than show nulls as a sale.
 */
function closing(r: TabRow) {
  const { closed_at, closed_by, closed_by_name, gross_cents, vat_cents, net_cents } = r;
  if (closed_at === null || closed_by === null || closed_by_name === null || gross_cents === null || vat_cents === null || net_cents === null) {
    throw new Error(`sale ${r.id} is missing what closing its tab writes`);
  }
  return {
    closedAt: closed_at.toISOString(),
    closedBy: { id: closed_by, name: closed_by_name },
    grossCents: gross_cents,
    vatCents: vat_cents,
    netCents: net_cents,
  };
}

/** A line voided off the tab before it was paid, as the sale shows it beside its lines. */
function voidOf(l: LineRow) {
  return {
    lineId: l.id,
    description: l.description,
    quantity: l.quantity,
    grossCents: l.gross_cents,
    voidedAt: (l.voided_at as Date).toISOString(),
    voidedBy: l.voided_by !== null && l.voided_by_name !== null ? { id: l.voided_by, name: l.voided_by_name } : null,
    reason: l.void_reason,
  };
}

/** A line's VAT, fixed when its tab was closed (see `closing`). */
function vatCharged(l: LineRow) {
  if (l.vat_rate_bp === null || l.vat_cents === null || l.net_cents === null) {
    throw new Error(`line ${l.id} of a sale has no VAT fixed`);
  }
  return { vatRateBp: l.vat_rate_bp, vatCents: l.vat_cents, netCents: l.net_cents };
}

/** One sale of this venue; 404 for an open tab, an unknown id or another venue's sale alike. */
export async function saleById(db: Queryable, venueId: string, id: string): Promise<Sale> {
  const { rows } = await db.query<TabRow>(`${TAB_SELECT} WHERE t.venue_id = $1 AND t.id = $2 AND t.status = 'closed'`, [venueId, id]);
  const [sale] = await salesOf(db, rows);
  if (!sale) throw new Errors.notFound('Sale');
  return sale;
}

// The exact instant, to the microsecond: a JavaScript Date keeps only
// milliseconds, and a page key rounded to the millisecond would skip or repeat
// the sales that share that millisecond.
const CLOSED_AT_KEY = `to_char(t.closed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS key_at`;

// Newest first with the id as tiebreaker, so every sale has one place in the
// order; after a cursor, only what sorts strictly after its key. Both walk
// tabs_closed_idx (venue_id, closed_at; migration 0002) backwards from `to`
// or the key, reading limit + 1 rows and sorting only those sharing an
// instant by id: page 400 of 500 of a venue with 50,000 sales took 0.16 ms
// (an index with the id in it, 0.085 ms, was not worth a migration).
const salesPageSql = (afterKey: boolean) => `
  SELECT ${TAB_COLUMNS}, ${CLOSED_AT_KEY} ${TAB_FROM}
   WHERE t.venue_id = $1 AND t.status = 'closed' AND t.closed_at >= $2 AND t.closed_at < $3
     ${afterKey ? 'AND (t.closed_at, t.id) < ($5::timestamptz, $6::uuid)' : ''}
   ORDER BY t.closed_at DESC, t.id DESC
   LIMIT $4`;
const FIRST_SALES_PAGE = salesPageSql(false);
const NEXT_SALES_PAGE = salesPageSql(true);

/**
 * A page of the venue's sales closed in [from, to), newest first: at most
 * `limit`, starting after `after` (the key of the last sale of the previous
 * page) when given. `nextKey` is where the next page starts, null on the last.
 */
export async function salesClosedBetween(
  db: Queryable,
  venueId: string,
  page: { from: Date; to: Date; after: PageKey | null; limit: number },
): Promise<{ items: Sale[]; nextKey: PageKey | null }> {
  const values: unknown[] = [venueId, page.from, page.to, page.limit + 1];
  const { rows } = page.after
    ? await db.query<TabRow & { key_at: string }>(NEXT_SALES_PAGE, [...values, page.after.at, page.after.id])
    : await db.query<TabRow & { key_at: string }>(FIRST_SALES_PAGE, values);
  const { rows: pageRows, nextKey } = splitPage(rows, page.limit, (r) => ({ at: r.key_at, id: r.id }));
  return { items: await salesOf(db, pageRows), nextKey };
}
