-- Up Migration

-- Shifts, cash and the Z report (issue 19, docs/cash-up.md).
--
-- A shift is the till's drawer from its float to its count. Every sale,
-- refund, void and cash movement belongs to the shift open when it commits:
-- a trigger stamps it (shift_for_write below), so every write path (till.closeTab,
-- sales.recordSale, sales.refundSale, till.voidTabLine, a bench's bulk SQL)
-- lands in a shift without the handlers knowing. With no shift open, the
-- write opens one with a float of 0 (audited), so service never stops.
--
-- Reports read per-shift totals (shift_totals, shift_rate_totals,
-- shift_method_totals), kept by triggers in the same transaction as the
-- write, never the history: an X or a Z costs the same after a year of sales.

CREATE TABLE shifts (
  id uuid PRIMARY KEY DEFAULT uuid_v7(),
  venue_id uuid NOT NULL REFERENCES venues (id),
  opened_by uuid NOT NULL REFERENCES staff (id),
  opened_at timestamptz NOT NULL DEFAULT now(),
  float_cents integer NOT NULL CHECK (float_cents BETWEEN 0 AND 100000000),
  -- Opened by a sale (or refund, void, cash movement) rung with no shift open.
  auto_opened boolean NOT NULL DEFAULT false,
  closed_by uuid REFERENCES staff (id),
  closed_at timestamptz,
  CHECK ((closed_by IS NULL) = (closed_at IS NULL))
);
-- One open shift per venue: a second start is a unique violation (409), and
-- two sales auto-opening at once make one shift (ON CONFLICT below).
CREATE UNIQUE INDEX shifts_one_open ON shifts (venue_id) WHERE closed_at IS NULL;
CREATE INDEX shifts_venue_opened ON shifts (venue_id, opened_at);

-- A closed shift is what its Z says: nothing changes it afterwards.
CREATE FUNCTION shifts_closed_is_final() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' OR OLD.closed_at IS NOT NULL THEN
    RAISE EXCEPTION 'a closed shift cannot be changed' USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER shifts_closed_final BEFORE UPDATE OR DELETE ON shifts
  FOR EACH ROW EXECUTE FUNCTION shifts_closed_is_final();

-- The shift open now for a write by p_staff, locked FOR SHARE until the
-- write commits; with none open, a new one with a float of 0, audited.
--
-- The race with closeShift (READ COMMITTED): closeShift locks the open
-- shift FOR UPDATE, which waits for every write holding it FOR SHARE, so
-- the Z reads totals that include every write stamped with the shift. A
-- write that asks after closeShift took its lock waits; when the close
-- commits, PostgreSQL re-checks the row, finds it closed and returns
-- nothing, so the write opens (or finds) the next shift. Nothing is
-- counted twice or lost, and a sale after the Z lands in the next shift.
-- Two writes auto-opening at once: the second's insert waits on the unique
-- index for the first, then does nothing and finds the first's shift.
CREATE FUNCTION shift_for_write(p_venue_id uuid, p_staff_id uuid) RETURNS uuid LANGUAGE plpgsql AS $$
DECLARE
  v_id uuid;
BEGIN
  LOOP
    SELECT id INTO v_id FROM shifts WHERE venue_id = p_venue_id AND closed_at IS NULL FOR SHARE;
    IF FOUND THEN
      RETURN v_id;
    END IF;
    INSERT INTO shifts (venue_id, opened_by, float_cents, auto_opened)
    VALUES (p_venue_id, p_staff_id, 0, true)
    ON CONFLICT (venue_id) WHERE closed_at IS NULL DO NOTHING
    RETURNING id INTO v_id;
    IF v_id IS NOT NULL THEN
      INSERT INTO audit_log (venue_id, staff_id, action, entity_type, entity_id, reason, details)
      VALUES (p_venue_id, p_staff_id, 'shift.autoStart', 'shift', v_id, 'Rung with no shift open',
              jsonb_build_object('floatCents', 0));
      RETURN v_id;
    END IF;
  END LOOP;
END $$;

-- Cash put into or taken out of the drawer other than by a sale or refund.
CREATE TABLE cash_movements (
  id uuid PRIMARY KEY DEFAULT uuid_v7(),
  venue_id uuid NOT NULL REFERENCES venues (id),
  shift_id uuid NOT NULL REFERENCES shifts (id),
  kind text NOT NULL CHECK (kind IN ('paid_in', 'paid_out')),
  amount_cents integer NOT NULL CHECK (amount_cents > 0),
  reason text NOT NULL CHECK (length(reason) BETWEEN 1 AND 200),
  staff_id uuid NOT NULL REFERENCES staff (id),
  at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX cash_movements_shift ON cash_movements (shift_id, at);

-- Which shift each sale and refund belongs to: null for those before 0019.
ALTER TABLE tabs ADD COLUMN shift_id uuid REFERENCES shifts (id);
ALTER TABLE refunds ADD COLUMN shift_id uuid REFERENCES shifts (id);
-- How a refund's money went back. Refunds before 0019 take their sale's
-- method when it was paid one way, else 'other' (unknown: not in the drawer).
ALTER TABLE refunds ADD COLUMN method text CHECK (method IN ('cash', 'card', 'other'));
UPDATE refunds r SET method = COALESCE(
  (SELECT min(p.method) FROM payments p WHERE p.tab_id = r.sale_id HAVING count(DISTINCT p.method) = 1), 'other');
ALTER TABLE refunds ALTER COLUMN method SET NOT NULL;

-- Per-shift totals, in slots. Every sale of a shift adds to its totals, so
-- one row per shift would make concurrent sales queue on its row lock until
-- each commits; each connection adds to its own slot (its backend pid
-- modulo 8) and a report sums a shift's slots, at most 8 rows per key.
-- Before touching any totals row a transaction takes its slot's advisory
-- lock (shift_totals_slot), so two transactions sharing a slot queue at
-- the first totals write instead of deadlocking over rows taken in another
-- order (a sale adds rates then methods then counts, a refund counts first).
CREATE TABLE shift_totals (
  shift_id uuid NOT NULL REFERENCES shifts (id),
  slot smallint NOT NULL,
  sales_count integer NOT NULL DEFAULT 0,
  refunds_count integer NOT NULL DEFAULT 0,
  refunds_gross_cents bigint NOT NULL DEFAULT 0,   -- positive
  voids_count integer NOT NULL DEFAULT 0,
  voids_gross_cents bigint NOT NULL DEFAULT 0,
  paid_in_cents bigint NOT NULL DEFAULT 0,
  paid_out_cents bigint NOT NULL DEFAULT 0,
  PRIMARY KEY (shift_id, slot)
);
-- Sales and refunds (both positive) by VAT rate; the report nets them.
CREATE TABLE shift_rate_totals (
  shift_id uuid NOT NULL REFERENCES shifts (id),
  vat_rate_bp integer NOT NULL,
  slot smallint NOT NULL,
  sales_gross_cents bigint NOT NULL DEFAULT 0,
  sales_vat_cents bigint NOT NULL DEFAULT 0,
  sales_net_cents bigint NOT NULL DEFAULT 0,
  refunds_gross_cents bigint NOT NULL DEFAULT 0,
  refunds_vat_cents bigint NOT NULL DEFAULT 0,
  refunds_net_cents bigint NOT NULL DEFAULT 0,
  PRIMARY KEY (shift_id, vat_rate_bp, slot)
);
CREATE TABLE shift_method_totals (
  shift_id uuid NOT NULL REFERENCES shifts (id),
  method text NOT NULL CHECK (method IN ('cash', 'card', 'other')),
  slot smallint NOT NULL,
  sales_cents bigint NOT NULL DEFAULT 0,
  refunds_cents bigint NOT NULL DEFAULT 0,          -- positive
  PRIMARY KEY (shift_id, method, slot)
);

CREATE FUNCTION shift_totals_slot(p_shift_id uuid) RETURNS smallint LANGUAGE plpgsql AS $$
DECLARE
  v_slot smallint := pg_backend_pid() % 8;
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext('barback.shift-totals:' || v_slot), hashtext(p_shift_id::text));
  RETURN v_slot;
END $$;

CREATE FUNCTION add_shift_totals(p_shift_id uuid, p_sales integer, p_refunds integer, p_refunds_gross bigint,
                                 p_voids integer, p_voids_gross bigint, p_paid_in bigint, p_paid_out bigint)
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO shift_totals AS t (shift_id, slot, sales_count, refunds_count, refunds_gross_cents, voids_count,
                                 voids_gross_cents, paid_in_cents, paid_out_cents)
  VALUES (p_shift_id, shift_totals_slot(p_shift_id), p_sales, p_refunds, p_refunds_gross, p_voids, p_voids_gross,
          p_paid_in, p_paid_out)
  ON CONFLICT (shift_id, slot) DO UPDATE SET
    sales_count = t.sales_count + EXCLUDED.sales_count,
    refunds_count = t.refunds_count + EXCLUDED.refunds_count,
    refunds_gross_cents = t.refunds_gross_cents + EXCLUDED.refunds_gross_cents,
    voids_count = t.voids_count + EXCLUDED.voids_count,
    voids_gross_cents = t.voids_gross_cents + EXCLUDED.voids_gross_cents,
    paid_in_cents = t.paid_in_cents + EXCLUDED.paid_in_cents,
    paid_out_cents = t.paid_out_cents + EXCLUDED.paid_out_cents;
END $$;

CREATE FUNCTION add_shift_rate(p_shift_id uuid, p_rate_bp integer, p_sales_gross bigint, p_sales_vat bigint,
                               p_sales_net bigint, p_refunds_gross bigint, p_refunds_vat bigint, p_refunds_net bigint)
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO shift_rate_totals AS t (shift_id, vat_rate_bp, slot, sales_gross_cents, sales_vat_cents, sales_net_cents,
                                      refunds_gross_cents, refunds_vat_cents, refunds_net_cents)
  VALUES (p_shift_id, p_rate_bp, shift_totals_slot(p_shift_id), p_sales_gross, p_sales_vat, p_sales_net,
          p_refunds_gross, p_refunds_vat, p_refunds_net)
  ON CONFLICT (shift_id, vat_rate_bp, slot) DO UPDATE SET
    sales_gross_cents = t.sales_gross_cents + EXCLUDED.sales_gross_cents,
    sales_vat_cents = t.sales_vat_cents + EXCLUDED.sales_vat_cents,
    sales_net_cents = t.sales_net_cents + EXCLUDED.sales_net_cents,
    refunds_gross_cents = t.refunds_gross_cents + EXCLUDED.refunds_gross_cents,
    refunds_vat_cents = t.refunds_vat_cents + EXCLUDED.refunds_vat_cents,
    refunds_net_cents = t.refunds_net_cents + EXCLUDED.refunds_net_cents;
END $$;

CREATE FUNCTION add_shift_method(p_shift_id uuid, p_method text, p_sales bigint, p_refunds bigint)
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO shift_method_totals AS t (shift_id, method, slot, sales_cents, refunds_cents)
  VALUES (p_shift_id, p_method, shift_totals_slot(p_shift_id), p_sales, p_refunds)
  ON CONFLICT (shift_id, method, slot) DO UPDATE SET
    sales_cents = t.sales_cents + EXCLUDED.sales_cents,
    refunds_cents = t.refunds_cents + EXCLUDED.refunds_cents;
END $$;

-- The triggers are statement-level with transition tables: a bulk INSERT of
-- thousands of sales adds to each totals row once per statement, not once a
-- row (updating one row thousands of times in one transaction leaves a
-- chain of versions nothing can prune until it commits, and each update
-- walks it).
--
-- A sale's lines and payments count once both they and their tab are there
-- and the tab is closed: at their INSERT when the tab is closed already (a
-- quick sale's single statement, a bulk seed), otherwise when the tab
-- closes (till.closeTab rates its lines and inserts its payments first).

-- A tab that closes takes the open shift (unless a seed names one).
CREATE FUNCTION tabs_stamp_shift() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.status = 'closed' AND NEW.shift_id IS NULL AND (TG_OP = 'INSERT' OR OLD.status = 'open') THEN
    NEW.shift_id := shift_for_write(NEW.venue_id, NEW.closed_by);
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER tabs_shift BEFORE INSERT OR UPDATE OF status ON tabs
  FOR EACH ROW EXECUTE FUNCTION tabs_stamp_shift();

-- Adds the sales of the tabs just closed: their count and, for tabs that
-- were open (p_with_lines), the lines and payments already on them by rate
-- and method. A tab inserted closed has none yet: its lines and payments
-- count at their own insert, even in the same statement (a quick sale's),
-- whose AFTER triggers all run once every row of it is there.
CREATE FUNCTION add_closed_tabs(p_tab_ids uuid[], p_with_lines boolean) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  r record;
BEGIN
  FOR r IN SELECT t.shift_id, count(*)::integer AS n FROM tabs t WHERE t.id = ANY(p_tab_ids) GROUP BY t.shift_id ORDER BY 1 LOOP
    PERFORM add_shift_totals(r.shift_id, r.n, 0, 0, 0, 0, 0, 0);
  END LOOP;
  IF NOT p_with_lines THEN
    RETURN;
  END IF;
  FOR r IN SELECT t.shift_id, l.vat_rate_bp, sum(l.gross_cents) AS g, sum(l.vat_cents) AS v, sum(l.net_cents) AS n
             FROM tabs t JOIN tab_lines l ON l.tab_id = t.id
            WHERE t.id = ANY(p_tab_ids) AND l.voided_at IS NULL AND l.vat_rate_bp IS NOT NULL
            GROUP BY 1, 2 ORDER BY 1, 2 LOOP
    PERFORM add_shift_rate(r.shift_id, r.vat_rate_bp, r.g, r.v, r.n, 0, 0, 0);
  END LOOP;
  FOR r IN SELECT t.shift_id, p.method, sum(p.amount_cents) AS a
             FROM tabs t JOIN payments p ON p.tab_id = t.id
            WHERE t.id = ANY(p_tab_ids) GROUP BY 1, 2 ORDER BY 1, 2 LOOP
    PERFORM add_shift_method(r.shift_id, r.method, r.a, 0);
  END LOOP;
END $$;

CREATE FUNCTION tabs_inserted_totals() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  v_ids uuid[];
BEGIN
  SELECT array_agg(id) INTO v_ids FROM new_tabs WHERE status = 'closed';
  IF v_ids IS NOT NULL THEN
    PERFORM add_closed_tabs(v_ids, false);
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER tabs_shift_totals_insert AFTER INSERT ON tabs
  REFERENCING NEW TABLE AS new_tabs FOR EACH STATEMENT EXECUTE FUNCTION tabs_inserted_totals();

CREATE FUNCTION tabs_updated_totals() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  v_ids uuid[];
BEGIN
  SELECT array_agg(n.id) INTO v_ids
    FROM new_tabs n JOIN old_tabs o ON o.id = n.id WHERE o.status = 'open' AND n.status = 'closed';
  IF v_ids IS NOT NULL THEN
    PERFORM add_closed_tabs(v_ids, true);
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER tabs_shift_totals_update AFTER UPDATE ON tabs
  REFERENCING OLD TABLE AS old_tabs NEW TABLE AS new_tabs FOR EACH STATEMENT EXECUTE FUNCTION tabs_updated_totals();

-- Lines inserted into a tab that is closed already (a quick sale, a seed);
-- lines inserted voided (a seed) count as voids of the tab's shift.
CREATE FUNCTION tab_lines_inserted_totals() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  r record;
BEGIN
  FOR r IN SELECT t.shift_id, l.vat_rate_bp, sum(l.gross_cents) AS g, sum(l.vat_cents) AS v, sum(l.net_cents) AS n
             FROM new_lines l JOIN tabs t ON t.id = l.tab_id
            WHERE t.status = 'closed' AND l.voided_at IS NULL AND l.vat_rate_bp IS NOT NULL
            GROUP BY 1, 2 ORDER BY 1, 2 LOOP
    PERFORM add_shift_rate(r.shift_id, r.vat_rate_bp, r.g, r.v, r.n, 0, 0, 0);
  END LOOP;
  FOR r IN SELECT COALESCE(t.shift_id, shift_for_write(l.venue_id, COALESCE(l.voided_by, l.added_by))) AS shift_id,
                  count(*)::integer AS c, sum(l.gross_cents) AS g
             FROM new_lines l JOIN tabs t ON t.id = l.tab_id
            WHERE l.voided_at IS NOT NULL GROUP BY 1 ORDER BY 1 LOOP
    PERFORM add_shift_totals(r.shift_id, 0, 0, 0, r.c, r.g, 0, 0);
  END LOOP;
  RETURN NULL;
END $$;
CREATE TRIGGER tab_lines_shift_totals_insert AFTER INSERT ON tab_lines
  REFERENCING NEW TABLE AS new_lines FOR EACH STATEMENT EXECUTE FUNCTION tab_lines_inserted_totals();

-- A void (till.voidTabLine) belongs to the shift open when it commits.
CREATE FUNCTION tab_lines_updated_totals() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  r record;
BEGIN
  FOR r IN SELECT shift_for_write(n.venue_id, n.voided_by) AS shift_id, count(*)::integer AS c, sum(n.gross_cents) AS g
             FROM new_lines n JOIN old_lines o ON o.id = n.id
            WHERE o.voided_at IS NULL AND n.voided_at IS NOT NULL GROUP BY 1 ORDER BY 1 LOOP
    PERFORM add_shift_totals(r.shift_id, 0, 0, 0, r.c, r.g, 0, 0);
  END LOOP;
  RETURN NULL;
END $$;
CREATE TRIGGER tab_lines_shift_totals_update AFTER UPDATE ON tab_lines
  REFERENCING OLD TABLE AS old_lines NEW TABLE AS new_lines FOR EACH STATEMENT EXECUTE FUNCTION tab_lines_updated_totals();

-- Payments inserted for a tab that is closed already (a quick sale, a seed).
CREATE FUNCTION payments_inserted_totals() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  r record;
BEGIN
  FOR r IN SELECT t.shift_id, p.method, sum(p.amount_cents) AS a
             FROM new_payments p JOIN tabs t ON t.id = p.tab_id
            WHERE t.status = 'closed' GROUP BY 1, 2 ORDER BY 1, 2 LOOP
    PERFORM add_shift_method(r.shift_id, r.method, r.a, 0);
  END LOOP;
  RETURN NULL;
END $$;
CREATE TRIGGER payments_shift_totals_insert AFTER INSERT ON payments
  REFERENCING NEW TABLE AS new_payments FOR EACH STATEMENT EXECUTE FUNCTION payments_inserted_totals();

-- A refund takes the open shift (not its sale's) and, unless given, its
-- sale's method when the sale was paid one way (sales.refundSale insists
-- on one for a split sale; a seed without one gets a not-null violation).
CREATE FUNCTION refunds_stamp_shift() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.shift_id IS NULL THEN
    NEW.shift_id := shift_for_write(NEW.venue_id, NEW.refunded_by);
  END IF;
  IF NEW.method IS NULL THEN
    SELECT min(p.method) INTO NEW.method FROM payments p WHERE p.tab_id = NEW.sale_id HAVING count(DISTINCT p.method) = 1;
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER refunds_shift BEFORE INSERT ON refunds
  FOR EACH ROW EXECUTE FUNCTION refunds_stamp_shift();

CREATE FUNCTION refunds_inserted_totals() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  r record;
BEGIN
  FOR r IN SELECT shift_id, count(*)::integer AS c, -sum(gross_cents) AS g FROM new_refunds GROUP BY 1 ORDER BY 1 LOOP
    PERFORM add_shift_totals(r.shift_id, 0, r.c, r.g, 0, 0, 0, 0);
  END LOOP;
  FOR r IN SELECT shift_id, method, -sum(gross_cents) AS g FROM new_refunds GROUP BY 1, 2 ORDER BY 1, 2 LOOP
    PERFORM add_shift_method(r.shift_id, r.method, 0, r.g);
  END LOOP;
  RETURN NULL;
END $$;
CREATE TRIGGER refunds_shift_totals_insert AFTER INSERT ON refunds
  REFERENCING NEW TABLE AS new_refunds FOR EACH STATEMENT EXECUTE FUNCTION refunds_inserted_totals();

-- A refund's lines by the rate their sale charged, in its refund's shift.
CREATE FUNCTION refund_lines_inserted_totals() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  r record;
BEGIN
  FOR r IN SELECT f.shift_id, l.vat_rate_bp, -sum(rl.gross_cents) AS g, -sum(rl.vat_cents) AS v, -sum(rl.net_cents) AS n
             FROM new_refund_lines rl JOIN refunds f ON f.id = rl.refund_id JOIN tab_lines l ON l.id = rl.tab_line_id
            GROUP BY 1, 2 ORDER BY 1, 2 LOOP
    PERFORM add_shift_rate(r.shift_id, r.vat_rate_bp, 0, 0, 0, r.g, r.v, r.n);
  END LOOP;
  RETURN NULL;
END $$;
CREATE TRIGGER refund_lines_shift_totals_insert AFTER INSERT ON refund_lines
  REFERENCING NEW TABLE AS new_refund_lines FOR EACH STATEMENT EXECUTE FUNCTION refund_lines_inserted_totals();

CREATE FUNCTION cash_movements_stamp_shift() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.shift_id IS NULL THEN
    NEW.shift_id := shift_for_write(NEW.venue_id, NEW.staff_id);
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER cash_movements_shift BEFORE INSERT ON cash_movements
  FOR EACH ROW EXECUTE FUNCTION cash_movements_stamp_shift();

CREATE FUNCTION cash_movements_inserted_totals() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  r record;
BEGIN
  FOR r IN SELECT shift_id,
                  COALESCE(sum(amount_cents) FILTER (WHERE kind = 'paid_in'), 0) AS pin,
                  COALESCE(sum(amount_cents) FILTER (WHERE kind = 'paid_out'), 0) AS pout
             FROM new_movements GROUP BY 1 ORDER BY 1 LOOP
    PERFORM add_shift_totals(r.shift_id, 0, 0, 0, 0, 0, r.pin, r.pout);
  END LOOP;
  RETURN NULL;
END $$;
CREATE TRIGGER cash_movements_shift_totals_insert AFTER INSERT ON cash_movements
  REFERENCING NEW TABLE AS new_movements FOR EACH STATEMENT EXECUTE FUNCTION cash_movements_inserted_totals();

-- Z numbers per venue: the last one given. closeShift increments it in the
-- transaction that writes the Z, so a rolled-back close gives its number
-- back and the numbers run 1, 2, 3 with no gap.
CREATE TABLE z_counters (
  venue_id uuid PRIMARY KEY REFERENCES venues (id),
  last_number integer NOT NULL CHECK (last_number > 0)
);

-- The Z as printed: its figures kept whole (report), never recomputed, so a
-- reprint years later is the same paper. Immutable, like the audit log.
CREATE TABLE z_reports (
  id uuid PRIMARY KEY DEFAULT uuid_v7(),
  venue_id uuid NOT NULL REFERENCES venues (id),
  number integer NOT NULL CHECK (number > 0),
  shift_id uuid NOT NULL UNIQUE REFERENCES shifts (id),
  closed_at timestamptz NOT NULL,
  report jsonb NOT NULL,
  UNIQUE (venue_id, number)
);

CREATE FUNCTION z_reports_are_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'z_reports are immutable: a Z is reprinted, never edited' USING ERRCODE = 'insufficient_privilege';
END $$;
CREATE TRIGGER z_reports_no_update BEFORE UPDATE OR DELETE ON z_reports
  FOR EACH ROW EXECUTE FUNCTION z_reports_are_immutable();
CREATE TRIGGER z_reports_no_truncate BEFORE TRUNCATE ON z_reports
  FOR EACH STATEMENT EXECUTE FUNCTION z_reports_are_immutable();

-- Down Migration
DROP TRIGGER z_reports_no_truncate ON z_reports;
DROP TABLE z_reports;
DROP FUNCTION z_reports_are_immutable();
DROP TABLE z_counters;
DROP TRIGGER cash_movements_shift_totals_insert ON cash_movements;
DROP TRIGGER refund_lines_shift_totals_insert ON refund_lines;
DROP TRIGGER refunds_shift_totals_insert ON refunds;
DROP TRIGGER refunds_shift ON refunds;
DROP TRIGGER payments_shift_totals_insert ON payments;
DROP TRIGGER tab_lines_shift_totals_update ON tab_lines;
DROP TRIGGER tab_lines_shift_totals_insert ON tab_lines;
DROP TRIGGER tabs_shift_totals_update ON tabs;
DROP TRIGGER tabs_shift_totals_insert ON tabs;
DROP TRIGGER tabs_shift ON tabs;
DROP FUNCTION cash_movements_inserted_totals();
DROP FUNCTION refund_lines_inserted_totals();
DROP FUNCTION refunds_inserted_totals();
DROP FUNCTION refunds_stamp_shift();
DROP FUNCTION payments_inserted_totals();
DROP FUNCTION tab_lines_updated_totals();
DROP FUNCTION tab_lines_inserted_totals();
DROP FUNCTION tabs_updated_totals();
DROP FUNCTION tabs_inserted_totals();
DROP FUNCTION add_closed_tabs(uuid[], boolean);
DROP FUNCTION tabs_stamp_shift();
DROP TABLE shift_method_totals;
DROP TABLE shift_rate_totals;
DROP TABLE shift_totals;
DROP FUNCTION add_shift_method(uuid, text, bigint, bigint);
DROP FUNCTION add_shift_rate(uuid, integer, bigint, bigint, bigint, bigint, bigint, bigint);
DROP FUNCTION add_shift_totals(uuid, integer, integer, bigint, integer, bigint, bigint, bigint);
DROP FUNCTION shift_totals_slot(uuid);
ALTER TABLE refunds DROP COLUMN method, DROP COLUMN shift_id;
ALTER TABLE tabs DROP COLUMN shift_id;
DROP TABLE cash_movements;
DROP FUNCTION cash_movements_stamp_shift();
DROP FUNCTION shift_for_write(uuid, uuid);
DROP TRIGGER shifts_closed_final ON shifts;
DROP TABLE shifts;
DROP FUNCTION shifts_closed_is_final();
