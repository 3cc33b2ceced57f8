/**
 * The VAT day totals (migration 0020) against a computation from scratch over
 * the raw rows by the same rules: how many (venue, day, rate) rows the
 * totals have that the raw rows do not give (extra), the reverse (missing),
 * and how many rows the raw rows give (keys). Only `venueIds` when given:
 * in the shared test database other files move sales' times by SQL to stage
 * a business day, which no write path does.
 */
import type pg from 'pg';

const MISMATCHES = `
  WITH kept AS (
    SELECT venue_id, day, vat_rate_bp, sum(sales_net_cents) AS sn, sum(sales_vat_cents) AS sv, sum(refunds_net_cents) AS rn,
           sum(refunds_vat_cents) AS rv, sum(purchases_net_cents) AS pn, sum(purchases_vat_cents) AS pv, sum(credits_net_cents) AS cn,
           sum(credits_vat_cents) AS cv
      FROM vat_day_totals WHERE $1::uuid[] IS NULL OR venue_id = ANY($1) GROUP BY 1, 2, 3
  ), raw AS (
    SELECT t.venue_id, (t.closed_at AT TIME ZONE v.time_zone)::date AS day, l.vat_rate_bp, l.net_cents AS sn, l.vat_cents AS sv,
           0 AS rn, 0 AS rv, 0 AS pn, 0 AS pv, 0 AS cn, 0 AS cv
      FROM tab_lines l JOIN tabs t ON t.id = l.tab_id JOIN venues v ON v.id = t.venue_id
     WHERE t.status = 'closed' AND l.voided_at IS NULL
    UNION ALL
    SELECT r.venue_id, (r.refunded_at AT TIME ZONE v.time_zone)::date, l.vat_rate_bp, 0, 0, n.net_cents, n.vat_cents, 0, 0, 0, 0
      FROM refund_lines n JOIN refunds r ON r.id = n.refund_id JOIN tab_lines l ON l.id = n.tab_line_id JOIN venues v ON v.id = r.venue_id
    UNION ALL
    SELECT d.venue_id, d.invoice_date, n.vat_rate_bp, 0, 0, 0, 0,
           CASE WHEN d.kind = 'invoice' THEN n.net_cents ELSE 0 END, CASE WHEN d.kind = 'invoice' THEN n.vat_cents ELSE 0 END,
           CASE WHEN d.kind = 'creditNote' THEN n.net_cents ELSE 0 END, CASE WHEN d.kind = 'creditNote' THEN n.vat_cents ELSE 0 END
      FROM delivery_lines n JOIN deliveries d ON d.id = n.delivery_id
  ), scratch AS (
    SELECT venue_id, day, vat_rate_bp, sum(sn) AS sn, sum(sv) AS sv, sum(rn) AS rn, sum(rv) AS rv, sum(pn) AS pn, sum(pv) AS pv,
           sum(cn) AS cn, sum(cv) AS cv
      FROM raw WHERE $1::uuid[] IS NULL OR venue_id = ANY($1) GROUP BY 1, 2, 3
  )
  SELECT (SELECT count(*) FROM (SELECT * FROM kept EXCEPT SELECT * FROM scratch) x)::int AS extra,
         (SELECT count(*) FROM (SELECT * FROM scratch EXCEPT SELECT * FROM kept) y)::int AS missing,
         (SELECT count(*) FROM scratch)::int AS keys`;

export interface VatTotalsMismatch {
  extra: number;
  missing: number;
  keys: number;
}

export async function vatTotalsMismatches(db: pg.ClientBase | pg.Pool, venueIds: string[] | null = null): Promise<VatTotalsMismatch> {
  return (await db.query<VatTotalsMismatch>(MISMATCHES, [venueIds])).rows[0]!;
}
