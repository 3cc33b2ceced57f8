import type { ReplyOf } from '@barback/messaging';
import { splitPage, type PageKey } from '../domain/cursor.js';
import type { Method, ShiftHeader, ShiftTotals } from '../domain/z-report.js';
import type { Queryable } from '../types.js';
import { onlyRow } from './rows.js';

export type ZReport = ReplyOf<'shifts.getZReport'>;
export type CashMovement = ReplyOf<'shifts.recordCashMovement'>;

export interface OpenShift extends ShiftHeader {
  autoOpened: boolean;
}

interface ShiftRow {
  id: string;
  opened_at: Date;
  opened_by: string;
  opened_by_name: string;
  float_cents: number;
  auto_opened: boolean;
}

const toShift = (r: ShiftRow): OpenShift => ({
  id: r.id,
  openedAt: r.opened_at,
  openedBy: { id: r.opened_by, name: r.opened_by_name },
  floatCents: r.float_cents,
  autoOpened: r.auto_opened,
});

const SHIFT_SELECT = `SELECT s.id, s.opened_at, s.opened_by, o.name AS opened_by_name, s.float_cents, s.auto_opened
  FROM shifts s JOIN staff o ON o.id = s.opened_by`;

/** The venue's open shift, or null. */
export async function openShift(db: Queryable, venueId: string): Promise<OpenShift | null> {
  const { rows } = await db.query<ShiftRow>(`${SHIFT_SELECT} WHERE s.venue_id = $1 AND s.closed_at IS NULL`, [venueId]);
  return rows[0] ? toShift(rows[0]) : null;
}

/**
 * The venue's open shift, locked FOR UPDATE until the close commits: this
 * waits for every write that holds it FOR SHARE (shift_for_write, migration
 * 0019), and holds back every later one, which then lands in the next
 * shift. null: none is open, including when another close took it first
 * (PostgreSQL re-checks the row once that close commits and finds it closed).
 */
export async function lockOpenShift(db: Queryable, venueId: string): Promise<OpenShift | null> {
  const { rows } = await db.query<{ id: string }>('SELECT id FROM shifts WHERE venue_id = $1 AND closed_at IS NULL FOR UPDATE', [venueId]);
  if (!rows[0]) return null;
  const shift = await db.query<ShiftRow>(`${SHIFT_SELECT} WHERE s.id = $1`, [rows[0].id]);
  return toShift(onlyRow(shift));
}

/** A new open shift; the partial unique index refuses a second (isOneOpenShiftViolation). */
export async function insertShift(db: Queryable, venueId: string, staffId: string, floatCents: number): Promise<OpenShift> {
  const { rows } = await db.query<{ id: string }>(
    'INSERT INTO shifts (venue_id, opened_by, float_cents) VALUES ($1, $2, $3) RETURNING id',
    [venueId, staffId, floatCents],
  );
  const shift = await db.query<ShiftRow>(`${SHIFT_SELECT} WHERE s.id = $1`, [onlyRow({ rows }).id]);
  return toShift(onlyRow(shift));
}

export function isOneOpenShiftViolation(err: unknown): boolean {
  const e = err as { code?: string; constraint?: string };
  return e.code === '23505' && e.constraint === 'shifts_one_open';
}

/**
 * A shift's totals, each summed over its slots (at most 8 rows a key,
 * however many sales): what an X or a Z costs does not grow with the history.
 */
export async function shiftTotals(db: Queryable, shiftId: string): Promise<ShiftTotals> {
  // One round trip: three sums as one JSON row.
  const { rows } = await db.query<{ totals: Record<string, string | null>; rates: Record<string, number>[] | null; methods: { method: Method; sales: number; refunds: number }[] | null }>(
    `SELECT
       (SELECT json_build_object(
          'sales', COALESCE(sum(sales_count), 0), 'refunds', COALESCE(sum(refunds_count), 0),
          'refundsGross', COALESCE(sum(refunds_gross_cents), 0), 'voids', COALESCE(sum(voids_count), 0),
          'voidsGross', COALESCE(sum(voids_gross_cents), 0), 'paidIn', COALESCE(sum(paid_in_cents), 0),
          'paidOut', COALESCE(sum(paid_out_cents), 0))
          FROM shift_totals WHERE shift_id = $1) AS totals,
       (SELECT json_agg(r) FROM (
          SELECT vat_rate_bp AS "vatRateBp", sum(sales_gross_cents) AS "salesGrossCents", sum(sales_vat_cents) AS "salesVatCents",
                 sum(sales_net_cents) AS "salesNetCents", sum(refunds_gross_cents) AS "refundsGrossCents",
                 sum(refunds_vat_cents) AS "refundsVatCents", sum(refunds_net_cents) AS "refundsNetCents"
            FROM shift_rate_totals WHERE shift_id = $1 GROUP BY vat_rate_bp) r) AS rates,
       (SELECT json_agg(m) FROM (
          SELECT method, sum(sales_cents) AS sales, sum(refunds_cents) AS refunds
            FROM shift_method_totals WHERE shift_id = $1 GROUP BY method) m) AS methods`,
    [shiftId],
  );
  const row = onlyRow({ rows });
  const t = (k: string) => Number(row.totals[k] ?? 0);
  return {
    salesCount: t('sales'),
    refundsCount: t('refunds'),
    refundsGrossCents: t('refundsGross'),
    voidsCount: t('voids'),
    voidsGrossCents: t('voidsGross'),
    paidInCents: t('paidIn'),
    paidOutCents: t('paidOut'),
    rates: (row.rates ?? []).map((r) => ({
      vatRateBp: Number(r.vatRateBp),
      salesGrossCents: Number(r.salesGrossCents),
      salesVatCents: Number(r.salesVatCents),
      salesNetCents: Number(r.salesNetCents),
      refundsGrossCents: Number(r.refundsGrossCents),
      refundsVatCents: Number(r.refundsVatCents),
      refundsNetCents: Number(r.refundsNetCents),
    })),
    methods: (row.methods ?? []).map((m) => ({ method: m.method, salesCents: m.sales, refundsCents: m.refunds })),
  };
}

/** The venue's open tabs, oldest first: a shift does not close under them. */
export async function openTabNames(db: Queryable, venueId: string): Promise<{ id: string; name: string }[]> {
  const { rows } = await db.query<{ id: string; name: string }>(
    "SELECT id, name FROM tabs WHERE venue_id = $1 AND status = 'open' ORDER BY opened_at, id",
    [venueId],
  );
  return rows;
}

/**
 * The venue's next Z number. The counter row stays locked until the close
 * commits, and a rolled-back close gives its number back with it: 1, 2, 3
 * with no gap.
 */
export async function nextZNumber(db: Queryable, venueId: string): Promise<number> {
  const { rows } = await db.query<{ last_number: number }>(
    `INSERT INTO z_counters AS z (venue_id, last_number) VALUES ($1, 1)
     ON CONFLICT (venue_id) DO UPDATE SET last_number = z.last_number + 1 RETURNING last_number`,
    [venueId],
  );
  return onlyRow({ rows }).last_number;
}

/** Closes the shift now (the transaction's start); answers that instant. */
export async function closeShiftRow(db: Queryable, shiftId: string, staffId: string): Promise<Date> {
  const { rows } = await db.query<{ closed_at: Date }>(
    'UPDATE shifts SET closed_at = now(), closed_by = $2 WHERE id = $1 AND closed_at IS NULL RETURNING closed_at',
    [shiftId, staffId],
  );
  return onlyRow({ rows }).closed_at;
}

export async function insertZReport(db: Queryable, venueId: string, z: ZReport): Promise<void> {
  await db.query('INSERT INTO z_reports (id, venue_id, number, shift_id, closed_at, report) VALUES ($1, $2, $3, $4, $5, $6)', [
    z.id,
    venueId,
    z.number,
    z.shiftId,
    z.closedAt,
    JSON.stringify(z),
  ]);
}

/** One Z of the venue, or null (another venue's id answers like an unknown one). */
export async function zReportById(db: Queryable, venueId: string, id: string): Promise<ZReport | null> {
  const { rows } = await db.query<{ report: ZReport }>('SELECT report FROM z_reports WHERE id = $1 AND venue_id = $2', [id, venueId]);
  return rows[0]?.report ?? null;
}

/** The venue's latest Z, for the answer to a close that found the shift closed already. */
export async function latestZReport(db: Queryable, venueId: string): Promise<ZReport | null> {
  const { rows } = await db.query<{ report: ZReport }>(
    'SELECT report FROM z_reports WHERE venue_id = $1 ORDER BY number DESC LIMIT 1',
    [venueId],
  );
  return rows[0]?.report ?? null;
}

/** Z reports newest first by (closed_at, id), a page after `after`. */
export async function zReportsPage(
  db: Queryable,
  venueId: string,
  q: { after: PageKey | null; limit: number },
): Promise<{ items: ZReport[]; nextKey: PageKey | null }> {
  const { rows } = await db.query<{ id: string; key_at: string; report: ZReport }>(
    `SELECT id, to_char(closed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS key_at, report
       FROM z_reports
      WHERE venue_id = $1 AND ($2::timestamptz IS NULL OR (closed_at, id) < ($2, $3::uuid))
      ORDER BY closed_at DESC, id DESC
      LIMIT $4`,
    [venueId, q.after?.at ?? null, q.after?.id ?? null, q.limit + 1],
  );
  const page = splitPage(rows, q.limit, (r) => ({ at: r.key_at, id: r.id }));
  return { items: page.rows.map((r) => r.report), nextKey: page.nextKey };
}

/** A paid in or out; the database puts it in the open shift (opening one if none is). */
export async function insertCashMovement(
  db: Queryable,
  m: { venueId: string; staffId: string; kind: 'paid_in' | 'paid_out'; amountCents: number; reason: string },
): Promise<CashMovement> {
  const { rows } = await db.query<{ id: string; shift_id: string; at: Date; name: string }>(
    `WITH m AS (
       INSERT INTO cash_movements (venue_id, staff_id, kind, amount_cents, reason) VALUES ($1, $2, $3, $4, $5)
       RETURNING id, shift_id, at, staff_id)
     SELECT m.id, m.shift_id, m.at, s.name FROM m JOIN staff s ON s.id = m.staff_id`,
    [m.venueId, m.staffId, m.kind, m.amountCents, m.reason],
  );
  const row = onlyRow({ rows });
  return {
    id: row.id,
    shiftId: row.shift_id,
    kind: m.kind,
    amountCents: m.amountCents,
    reason: m.reason,
    at: row.at.toISOString(),
    by: { id: m.staffId, name: row.name },
  };
}

/** A staff member's name, for the Z's closedBy. */
export async function staffName(db: Queryable, staffId: string): Promise<string> {
  const { rows } = await db.query<{ name: string }>('SELECT name FROM staff WHERE id = $1', [staffId]);
  return onlyRow({ rows }).name;
}
