import type { RateSums } from '../domain/vat-return.js';
import type { Queryable } from '../types.js';
import { statement } from './statement.js';

// The day totals of [from, to] by month and rate, the slots added up
// (migration 0020): one range of the primary key, at most 366 days × rates × 8 slots.
const monthSumsStatement = statement(
  'vat-month-sums',
  `SELECT to_char(day, 'YYYY-MM') AS month, vat_rate_bp AS "vatRateBp",
          sum(sales_net_cents)::float8 AS "salesNetCents", sum(sales_vat_cents)::float8 AS "salesVatCents",
          sum(refunds_net_cents)::float8 AS "refundsNetCents", sum(refunds_vat_cents)::float8 AS "refundsVatCents",
          sum(purchases_net_cents)::float8 AS "purchasesNetCents", sum(purchases_vat_cents)::float8 AS "purchasesVatCents",
          sum(credits_net_cents)::float8 AS "creditsNetCents", sum(credits_vat_cents)::float8 AS "creditsVatCents"
     FROM vat_day_totals
    WHERE venue_id = $1 AND day >= $2::date AND day <= $3::date
    GROUP BY 1, 2
    ORDER BY 1, 2 DESC`,
);

/** The venue's sales, refunds, deliveries and credit notes from `from` to `to` (inclusive), by month and rate. */
export async function vatMonthSums(db: Queryable, venueId: string, from: string, to: string): Promise<RateSums[]> {
  const { rows } = await db.query<RateSums>(monthSumsStatement([venueId, from, to]));
  return rows;
}

// Tabs open now that were opened before the end of `to`, by the venue's
// calendar: tabs_open_idx (0002) holds only open tabs, so this never reads history.
const openTabsStatement = statement(
  'vat-open-tabs-at-end',
  `SELECT count(*)::int AS n
     FROM tabs t JOIN venues v ON v.id = t.venue_id
    WHERE t.venue_id = $1 AND t.status = 'open' AND t.opened_at < (($2::date + 1)::timestamp AT TIME ZONE v.time_zone)`,
);

export async function openTabsOpenedBy(db: Queryable, venueId: string, to: string): Promise<number> {
  const { rows } = await db.query<{ n: number }>(openTabsStatement([venueId, to]));
  return rows[0]?.n ?? 0;
}

export interface VatWorkingRow {
  date: string;
  kind: 'sale' | 'refund' | 'invoice' | 'creditNote';
  id: string;
  vatRateBp: number;
  netCents: number;
  vatCents: number;
}

/**
 * Every document a return for [from, to] counts, one row per document and
 * rate, exactly as the triggers of 0020 count them: sales by the local date
 * they closed (tabs_closed_idx), refunds by the local date they were made
 * (refunds_venue_idx), deliveries and credit notes by invoice date. Reads the
 * period's own rows only: this is the export, not the return.
 */
export async function vatWorkings(db: Queryable, venueId: string, from: string, to: string): Promise<VatWorkingRow[]> {
  const { rows } = await db.query<VatWorkingRow>(
    `WITH bounds AS (
       SELECT ($2::date::timestamp AT TIME ZONE time_zone) AS start_at, (($3::date + 1)::timestamp AT TIME ZONE time_zone) AS end_at, time_zone
         FROM venues WHERE id = $1
     )
     SELECT to_char((t.closed_at AT TIME ZONE b.time_zone)::date, 'YYYY-MM-DD') AS date, 'sale' AS kind, t.id, l.vat_rate_bp AS "vatRateBp",
            sum(l.net_cents)::float8 AS "netCents", sum(l.vat_cents)::float8 AS "vatCents"
       FROM bounds b JOIN tabs t ON t.venue_id = $1 AND t.status = 'closed' AND t.closed_at >= b.start_at AND t.closed_at < b.end_at
       JOIN tab_lines l ON l.tab_id = t.id AND l.voided_at IS NULL
      GROUP BY 1, 3, 4
     UNION ALL
     SELECT to_char((r.refunded_at AT TIME ZONE b.time_zone)::date, 'YYYY-MM-DD'), 'refund', r.id, l.vat_rate_bp,
            sum(n.net_cents)::float8, sum(n.vat_cents)::float8
       FROM bounds b JOIN refunds r ON r.venue_id = $1 AND r.refunded_at >= b.start_at AND r.refunded_at < b.end_at
       JOIN refund_lines n ON n.refund_id = r.id JOIN tab_lines l ON l.id = n.tab_line_id
      GROUP BY 1, 3, 4
     UNION ALL
     SELECT to_char(d.invoice_date, 'YYYY-MM-DD'), d.kind, d.id, n.vat_rate_bp, sum(n.net_cents)::float8, sum(n.vat_cents)::float8
       FROM deliveries d JOIN delivery_lines n ON n.delivery_id = d.id
      WHERE d.venue_id = $1 AND d.invoice_date >= $2::date AND d.invoice_date <= $3::date
      GROUP BY 1, 2, 3, 4
     ORDER BY 1, 2, 3, 4 DESC`,
    [venueId, from, to],
  );
  return rows;
}
