-- Up Migration

-- VAT day totals (issue 19): what the VAT3 and the RTD add up, kept per
-- venue, calendar day and VAT rate as the rows are written, so a return for
-- two months reads at most 61 days × rates × slots rows instead of every sale
-- (a busy pub rings 150,000 sales a year). docs/vat.md.
--
--   * day: the venue's calendar date (venues.time_zone, Europe/Dublin), never
--     the business day that rolls over at 06:00: VAT periods are calendar
--     months. A sale counts on the date it was closed (paid), a refund on the
--     date it was made (never its sale's), a delivery or credit note on its
--     invoice date (a supplier's document is dated by the supplier).
--   * vat_rate_bp: the rate the line was charged at (tab_lines.vat_rate_bp,
--     fixed when the sale was recorded, by the rate in force that day, 0002),
--     so a period across 1 July 2026 keeps 13.5% and 9% apart.
--   * amounts are signed like their rows: refunds and credit notes negative.
--
-- Kept by triggers on the rows every write creates, in the same transaction
-- as the write, so no code path (the till, a quick sale, a refund, a
-- delivery, an invoice import, a bench's bulk INSERT ... SELECT) can forget
-- them. The triggers are per statement with transition tables: a bulk seed of
-- a year of sales is one aggregated upsert per statement, not one per row.
--
-- slot: every sale of a night lands on the same (venue, day, rate) row, and
-- an upsert holds that row's lock until its transaction commits, which waits
-- for the synchronous standby's flush (decision 3). Unsharded, a venue's
-- concurrent sales would queue in single file behind one another's commits,
-- as they once did on stock rows (decision 6). Each connection writes to its
-- own slot (its backend pid modulo 8), so two sales collide only when their
-- connections share a slot; readers add the slots up (8 × 61 × 3 rows for a
-- return at most).
-- No foreign key to venues: the rows are derived from rows that have one, and
-- a key check would lock the venue's row (FOR KEY SHARE) on every sale.
CREATE TABLE vat_day_totals (
  venue_id uuid NOT NULL,
  day date NOT NULL,
  vat_rate_bp integer NOT NULL,
  slot smallint NOT NULL,
  sales_net_cents bigint NOT NULL DEFAULT 0,
  sales_vat_cents bigint NOT NULL DEFAULT 0,
  refunds_net_cents bigint NOT NULL DEFAULT 0,     -- ≤ 0
  refunds_vat_cents bigint NOT NULL DEFAULT 0,     -- ≤ 0
  purchases_net_cents bigint NOT NULL DEFAULT 0,   -- invoices
  purchases_vat_cents bigint NOT NULL DEFAULT 0,
  credits_net_cents bigint NOT NULL DEFAULT 0,     -- credit notes, ≤ 0
  credits_vat_cents bigint NOT NULL DEFAULT 0,
  PRIMARY KEY (venue_id, day, vat_rate_bp, slot)
);

-- The slot a writing connection uses (see above).
CREATE FUNCTION vat_day_slot() RETURNS smallint LANGUAGE sql STABLE AS $$
  SELECT (pg_backend_pid() % 8)::smallint
$$;

-- Sales rung as closed rows at once: a quick sale (one statement inserts the
-- closed tab and its lines; the lines' trigger runs after the statement, when
-- the tab is visible), or a bulk seed inserting closed tabs, then lines.
-- Lines added to an open tab count when the tab closes (below). Rows are
-- aggregated and upserted in key order, so two statements sharing a slot lock
-- its rows in the same order; a deadlock across statements (two connections
-- on one slot, each writing several days) is retried like any other (40P01,
-- db/src/errors.ts).
CREATE FUNCTION vat_day_totals_sale_lines() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO vat_day_totals AS d (venue_id, day, vat_rate_bp, slot, sales_net_cents, sales_vat_cents)
  SELECT t.venue_id, (t.closed_at AT TIME ZONE v.time_zone)::date, l.vat_rate_bp, vat_day_slot(), sum(l.net_cents), sum(l.vat_cents)
    FROM new_lines l JOIN tabs t ON t.id = l.tab_id JOIN venues v ON v.id = t.venue_id
   WHERE t.status = 'closed' AND l.voided_at IS NULL
   GROUP BY 1, 2, 3
   ORDER BY 1, 2, 3
  ON CONFLICT (venue_id, day, vat_rate_bp, slot) DO UPDATE
    SET sales_net_cents = d.sales_net_cents + EXCLUDED.sales_net_cents,
        sales_vat_cents = d.sales_vat_cents + EXCLUDED.sales_vat_cents;
  RETURN NULL;
END $$;
CREATE TRIGGER tab_lines_vat_day_totals AFTER INSERT ON tab_lines
  REFERENCING NEW TABLE AS new_lines FOR EACH STATEMENT EXECUTE FUNCTION vat_day_totals_sale_lines();

-- A tab closed (the till's closeTab, or a seed's UPDATE): its lines not
-- voided, at the rates closing fixed on them just before.
CREATE FUNCTION vat_day_totals_closed_tabs() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO vat_day_totals AS d (venue_id, day, vat_rate_bp, slot, sales_net_cents, sales_vat_cents)
  SELECT n.venue_id, (n.closed_at AT TIME ZONE v.time_zone)::date, l.vat_rate_bp, vat_day_slot(), sum(l.net_cents), sum(l.vat_cents)
    FROM new_tabs n JOIN old_tabs o ON o.id = n.id JOIN tab_lines l ON l.tab_id = n.id JOIN venues v ON v.id = n.venue_id
   WHERE o.status = 'open' AND n.status = 'closed' AND l.voided_at IS NULL
   GROUP BY 1, 2, 3
   ORDER BY 1, 2, 3
  ON CONFLICT (venue_id, day, vat_rate_bp, slot) DO UPDATE
    SET sales_net_cents = d.sales_net_cents + EXCLUDED.sales_net_cents,
        sales_vat_cents = d.sales_vat_cents + EXCLUDED.sales_vat_cents;
  RETURN NULL;
END $$;
CREATE TRIGGER tabs_vat_day_totals AFTER UPDATE ON tabs
  REFERENCING OLD TABLE AS old_tabs NEW TABLE AS new_tabs FOR EACH STATEMENT EXECUTE FUNCTION vat_day_totals_closed_tabs();

-- A refund's lines (negative), on the day the refund was made, at the rate
-- the refunded line was sold at.
CREATE FUNCTION vat_day_totals_refund_lines() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO vat_day_totals AS d (venue_id, day, vat_rate_bp, slot, refunds_net_cents, refunds_vat_cents)
  SELECT r.venue_id, (r.refunded_at AT TIME ZONE v.time_zone)::date, l.vat_rate_bp, vat_day_slot(), sum(n.net_cents), sum(n.vat_cents)
    FROM new_refund_lines n JOIN refunds r ON r.id = n.refund_id JOIN tab_lines l ON l.id = n.tab_line_id JOIN venues v ON v.id = r.venue_id
   GROUP BY 1, 2, 3
   ORDER BY 1, 2, 3
  ON CONFLICT (venue_id, day, vat_rate_bp, slot) DO UPDATE
    SET refunds_net_cents = d.refunds_net_cents + EXCLUDED.refunds_net_cents,
        refunds_vat_cents = d.refunds_vat_cents + EXCLUDED.refunds_vat_cents;
  RETURN NULL;
END $$;
CREATE TRIGGER refund_lines_vat_day_totals AFTER INSERT ON refund_lines
  REFERENCING NEW TABLE AS new_refund_lines FOR EACH STATEMENT EXECUTE FUNCTION vat_day_totals_refund_lines();

-- A delivery's or credit note's lines (a credit note's are negative), on its invoice date.
CREATE FUNCTION vat_day_totals_delivery_lines() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO vat_day_totals AS d (venue_id, day, vat_rate_bp, slot, purchases_net_cents, purchases_vat_cents, credits_net_cents, credits_vat_cents)
  SELECT dl.venue_id, dl.invoice_date, n.vat_rate_bp, vat_day_slot(),
         COALESCE(sum(n.net_cents) FILTER (WHERE dl.kind = 'invoice'), 0), COALESCE(sum(n.vat_cents) FILTER (WHERE dl.kind = 'invoice'), 0),
         COALESCE(sum(n.net_cents) FILTER (WHERE dl.kind = 'creditNote'), 0), COALESCE(sum(n.vat_cents) FILTER (WHERE dl.kind = 'creditNote'), 0)
    FROM new_delivery_lines n JOIN deliveries dl ON dl.id = n.delivery_id
   GROUP BY 1, 2, 3
   ORDER BY 1, 2, 3
  ON CONFLICT (venue_id, day, vat_rate_bp, slot) DO UPDATE
    SET purchases_net_cents = d.purchases_net_cents + EXCLUDED.purchases_net_cents,
        purchases_vat_cents = d.purchases_vat_cents + EXCLUDED.purchases_vat_cents,
        credits_net_cents = d.credits_net_cents + EXCLUDED.credits_net_cents,
        credits_vat_cents = d.credits_vat_cents + EXCLUDED.credits_vat_cents;
  RETURN NULL;
END $$;
CREATE TRIGGER delivery_lines_vat_day_totals AFTER INSERT ON delivery_lines
  REFERENCING NEW TABLE AS new_delivery_lines FOR EACH STATEMENT EXECUTE FUNCTION vat_day_totals_delivery_lines();

-- The history so far. The triggers above were created first, in this
-- transaction: CREATE TRIGGER locks each table against writes until the
-- migration commits, so every row committed before is in the statements
-- below and every row written after fires a trigger; none is counted twice
-- or missed. Slot 0 for all of it.
INSERT INTO vat_day_totals (venue_id, day, vat_rate_bp, slot, sales_net_cents, sales_vat_cents)
SELECT t.venue_id, (t.closed_at AT TIME ZONE v.time_zone)::date, l.vat_rate_bp, 0, sum(l.net_cents), sum(l.vat_cents)
  FROM tab_lines l JOIN tabs t ON t.id = l.tab_id JOIN venues v ON v.id = t.venue_id
 WHERE t.status = 'closed' AND l.voided_at IS NULL
 GROUP BY 1, 2, 3;

INSERT INTO vat_day_totals AS d (venue_id, day, vat_rate_bp, slot, refunds_net_cents, refunds_vat_cents)
SELECT r.venue_id, (r.refunded_at AT TIME ZONE v.time_zone)::date, l.vat_rate_bp, 0, sum(n.net_cents), sum(n.vat_cents)
  FROM refund_lines n JOIN refunds r ON r.id = n.refund_id JOIN tab_lines l ON l.id = n.tab_line_id JOIN venues v ON v.id = r.venue_id
 GROUP BY 1, 2, 3
ON CONFLICT (venue_id, day, vat_rate_bp, slot) DO UPDATE
  SET refunds_net_cents = EXCLUDED.refunds_net_cents, refunds_vat_cents = EXCLUDED.refunds_vat_cents;

INSERT INTO vat_day_totals AS d (venue_id, day, vat_rate_bp, slot, purchases_net_cents, purchases_vat_cents, credits_net_cents, credits_vat_cents)
SELECT dl.venue_id, dl.invoice_date, n.vat_rate_bp, 0,
       COALESCE(sum(n.net_cents) FILTER (WHERE dl.kind = 'invoice'), 0), COALESCE(sum(n.vat_cents) FILTER (WHERE dl.kind = 'invoice'), 0),
       COALESCE(sum(n.net_cents) FILTER (WHERE dl.kind = 'creditNote'), 0), COALESCE(sum(n.vat_cents) FILTER (WHERE dl.kind = 'creditNote'), 0)
  FROM delivery_lines n JOIN deliveries dl ON dl.id = n.delivery_id
 GROUP BY 1, 2, 3
ON CONFLICT (venue_id, day, vat_rate_bp, slot) DO UPDATE
  SET purchases_net_cents = EXCLUDED.purchases_net_cents, purchases_vat_cents = EXCLUDED.purchases_vat_cents,
      credits_net_cents = EXCLUDED.credits_net_cents, credits_vat_cents = EXCLUDED.credits_vat_cents;

-- Down Migration
DROP TRIGGER delivery_lines_vat_day_totals ON delivery_lines;
DROP TRIGGER refund_lines_vat_day_totals ON refund_lines;
DROP TRIGGER tabs_vat_day_totals ON tabs;
DROP TRIGGER tab_lines_vat_day_totals ON tab_lines;
DROP FUNCTION vat_day_totals_delivery_lines();
DROP FUNCTION vat_day_totals_refund_lines();
DROP FUNCTION vat_day_totals_closed_tabs();
DROP FUNCTION vat_day_totals_sale_lines();
DROP FUNCTION vat_day_slot();
DROP TABLE vat_day_totals;
