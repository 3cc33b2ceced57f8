-- Up Migration

-- Stock control (issue 17): suppliers, deliveries and credit notes, wastage,
-- and the stock ledger every movement of stock ends up in
-- (docs/architecture.md, decision 19).
--
-- The ledger. Every movement of stock is still appended to stock_moves first
-- (0006: an insert waits for nobody), now with why (cause), what caused it
-- (ref_id: the delivery, the wastage, the stocktake), who (staff_id) and when
-- (at). The fold, which already deletes the moves it adds to stock_levels,
-- inserts them into stock_ledger in the same statement instead of dropping
-- them, with the balance each one leaves. So:
--   * sales keep their statement: the new columns have defaults. A sale's or
--     a tab line's draw (and a void's return) leaves cause null, and the fold
--     names it by its sign: a draw is a sale, a return a void. Their ref_id
--     and staff_id stay null (the tab line says which sale and who);
--   * at is the writing transaction's start (now()), the same instant a quick
--     sale's closed_at and a tab line's added_at get, so later work can join
--     a sale's draw to its line, and a stocktake can ask for the moves up to
--     its countedAt;
--   * stock on hand is still stock_levels + the moves not yet folded, and for
--     every product stock_levels = the sum of its ledger rows (an opening row
--     per product carries the stock it had before this migration);
--   * balance_units is the stock on hand after the row, in the order the fold
--     wrote the rows (id): a product's moves list with its running balance is
--     one index range, however long its history.
-- Moves of zero units (a change of par, 0013) only ask the fold to check par:
-- they are no movement and stay out of the ledger.
ALTER TABLE stock_moves
  ADD COLUMN cause text,
  ADD COLUMN ref_id uuid,
  ADD COLUMN staff_id uuid,
  ADD COLUMN at timestamptz NOT NULL DEFAULT now();

CREATE TABLE stock_ledger (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  venue_id uuid NOT NULL,
  product_id uuid NOT NULL,
  units numeric(18, 8) NOT NULL,            -- the change: negative takes stock out
  balance_units numeric(18, 8) NOT NULL,    -- stock on hand after this row
  cause text NOT NULL CHECK (cause IN ('opening', 'sale', 'void', 'delivery', 'credit_note', 'wastage', 'stocktake_adjustment')),
  ref_id uuid,
  staff_id uuid,
  at timestamptz NOT NULL,
  folded_at timestamptz NOT NULL DEFAULT now()
);
-- A product's moves, and the stock it had at an instant (stocktakes, variance).
CREATE INDEX stock_ledger_product ON stock_ledger (venue_id, product_id, at, id);
-- A period's moves of a whole venue by cause (variance: delivered, wasted).
CREATE INDEX stock_ledger_venue_at ON stock_ledger (venue_id, at);

-- History: the fold appends, nothing changes or removes a row.
CREATE FUNCTION stock_ledger_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'stock_ledger is append-only' USING ERRCODE = 'insufficient_privilege';
END $$;
CREATE TRIGGER stock_ledger_no_update BEFORE UPDATE OR DELETE ON stock_ledger
  FOR EACH ROW EXECUTE FUNCTION stock_ledger_is_append_only();
CREATE TRIGGER stock_ledger_no_truncate BEFORE TRUNCATE ON stock_ledger
  FOR EACH STATEMENT EXECUTE FUNCTION stock_ledger_is_append_only();

-- The stock each product had before the ledger existed, under the fold's lock
-- so no fold moves it meanwhile. Moves still pending fold in after it.
SELECT pg_advisory_xact_lock(6153845011);
INSERT INTO stock_ledger (venue_id, product_id, units, balance_units, cause, at)
SELECT venue_id, product_id, stock_units, stock_units, 'opening', now()
  FROM stock_levels
 WHERE stock_units <> 0
 ORDER BY venue_id, product_id;

-- 0013's fold, with the moves it folds kept in the ledger instead of
-- dropped: the same DELETE, the same update of stock_levels, the same check
-- of par, and one more insert in the same statement. Each row's balance is
-- the product's stock before the fold plus its moves up to that row, in the
-- order of their at and then of the table (ctid), which is the order of the
-- ids the insert gives them. A move's cause left null by a sale's statement
-- is named by its sign. Cost: docs/architecture.md, decision 19.
CREATE OR REPLACE FUNCTION fold_stock_moves() RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
  venue_ids uuid[];
  product_ids uuid[];
BEGIN
  IF NOT pg_try_advisory_xact_lock(6153845011) THEN
    RETURN -1;
  END IF;
  WITH moved AS (
    DELETE FROM stock_moves RETURNING ctid AS row_id, venue_id, product_id, units, cause, ref_id, staff_id, at
  ), totals AS (
    SELECT venue_id, product_id, sum(units) AS units FROM moved GROUP BY venue_id, product_id
  ), folded AS (
    UPDATE stock_levels l SET stock_units = l.stock_units + t.units
      FROM totals t
     WHERE l.venue_id = t.venue_id AND l.product_id = t.product_id
    RETURNING l.venue_id, l.product_id, l.stock_units - t.units AS units_before
  ), ledger AS (
    INSERT INTO stock_ledger (venue_id, product_id, units, balance_units, cause, ref_id, staff_id, at)
    SELECT m.venue_id, m.product_id, m.units,
           f.units_before + sum(m.units) OVER (PARTITION BY m.venue_id, m.product_id ORDER BY m.at, m.row_id),
           COALESCE(m.cause, CASE WHEN m.units < 0 THEN 'sale' ELSE 'void' END), m.ref_id, m.staff_id, m.at
      FROM moved m JOIN folded f ON f.venue_id = m.venue_id AND f.product_id = m.product_id
     WHERE m.units <> 0
     ORDER BY m.venue_id, m.product_id, m.at, m.row_id
  )
  SELECT array_agg(venue_id), array_agg(product_id) INTO venue_ids, product_ids FROM folded;
  IF product_ids IS NULL THEN
    RETURN 0;
  END IF;
  PERFORM check_par_pairs(venue_ids, product_ids, false);
  RETURN cardinality(product_ids);
END
$$;

CREATE TABLE suppliers (
  id uuid PRIMARY KEY DEFAULT uuid_v7(),
  venue_id uuid NOT NULL REFERENCES venues (id),
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 120),
  vat_number text CHECK (length(vat_number) BETWEEN 1 AND 30),
  email text CHECK (length(email) BETWEEN 3 AND 254),
  phone text CHECK (length(phone) BETWEEN 1 AND 40),
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX suppliers_venue_name_key ON suppliers (venue_id, lower(name));

-- An invoice or a credit note, as the supplier wrote it. Amounts are signed:
-- a credit note's are negative, so a period's totals are plain sums.
CREATE TABLE deliveries (
  id uuid PRIMARY KEY DEFAULT uuid_v7(),
  venue_id uuid NOT NULL REFERENCES venues (id),
  supplier_id uuid NOT NULL REFERENCES suppliers (id),
  invoice_number text NOT NULL CHECK (length(invoice_number) BETWEEN 1 AND 60),
  invoice_date date NOT NULL,
  kind text NOT NULL CHECK (kind IN ('invoice', 'creditNote')),
  net_cents bigint NOT NULL,
  vat_cents bigint NOT NULL,
  gross_cents bigint NOT NULL,
  recorded_by uuid NOT NULL REFERENCES staff (id),
  recorded_at timestamptz NOT NULL DEFAULT now()
);
-- A supplier's document number is entered once (409 the second time),
-- whatever its case or kind: the number is what the paper says.
CREATE UNIQUE INDEX deliveries_supplier_number_key ON deliveries (venue_id, supplier_id, lower(invoice_number));
CREATE INDEX deliveries_venue_recorded ON deliveries (venue_id, recorded_at DESC, id DESC);

CREATE TABLE delivery_lines (
  id uuid PRIMARY KEY DEFAULT uuid_v7(),
  delivery_id uuid NOT NULL REFERENCES deliveries (id),
  venue_id uuid NOT NULL,
  position integer NOT NULL,
  product_id uuid NOT NULL REFERENCES products (id),
  quantity numeric(12, 3) NOT NULL CHECK (quantity > 0),   -- as entered, in stock units; the kind gives the direction
  unit_cost_cents integer NOT NULL CHECK (unit_cost_cents >= 0),
  vat_rate_bp integer NOT NULL CHECK (vat_rate_bp BETWEEN 0 AND 10000),
  net_cents bigint NOT NULL,
  vat_cents bigint NOT NULL,
  UNIQUE (delivery_id, position)
);
CREATE INDEX delivery_lines_product ON delivery_lines (venue_id, product_id);

-- Stock written off. stock_units is exact from ml (numeric division), cost
-- is rounded once, half up, from it and the cost at the time.
CREATE TABLE wastage (
  id uuid PRIMARY KEY DEFAULT uuid_v7(),
  venue_id uuid NOT NULL REFERENCES venues (id),
  product_id uuid NOT NULL REFERENCES products (id),
  reason text NOT NULL CHECK (reason IN ('spillage', 'line_cleaning', 'breakage', 'out_of_date', 'complimentary',
                                         'staff_drink', 'returned_by_customer', 'other')),
  note text CHECK (length(note) BETWEEN 1 AND 500),
  ml numeric(10, 1),
  units numeric(12, 3),
  serving_id uuid REFERENCES servings (id),
  servings integer,
  stock_units numeric(18, 8) NOT NULL CHECK (stock_units > 0),
  unit_cost_cents integer NOT NULL,
  cost_cents bigint NOT NULL,
  recorded_by uuid NOT NULL REFERENCES staff (id),
  recorded_at timestamptz NOT NULL DEFAULT now(),
  CHECK (reason <> 'other' OR note IS NOT NULL),
  CHECK (num_nonnulls(ml, units, serving_id) = 1 AND (serving_id IS NULL) = (servings IS NULL))
);
CREATE INDEX wastage_venue_recorded ON wastage (venue_id, recorded_at DESC, id DESC);

-- Down Migration
-- 0013's fold again: moves are dropped once folded.
CREATE OR REPLACE FUNCTION fold_stock_moves() RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
  venue_ids uuid[];
  product_ids uuid[];
BEGIN
  IF NOT pg_try_advisory_xact_lock(6153845011) THEN
    RETURN -1;
  END IF;
  WITH moved AS (
    DELETE FROM stock_moves RETURNING venue_id, product_id, units
  ), totals AS (
    SELECT venue_id, product_id, sum(units) AS units FROM moved GROUP BY venue_id, product_id
  ), folded AS (
    UPDATE stock_levels l SET stock_units = l.stock_units + t.units
      FROM totals t
     WHERE l.venue_id = t.venue_id AND l.product_id = t.product_id
    RETURNING l.venue_id, l.product_id
  )
  SELECT array_agg(venue_id), array_agg(product_id) INTO venue_ids, product_ids FROM folded;
  IF product_ids IS NULL THEN
    RETURN 0;
  END IF;
  PERFORM check_par_pairs(venue_ids, product_ids, false);
  RETURN cardinality(product_ids);
END
$$;
DROP TABLE wastage;
DROP TABLE delivery_lines;
DROP TABLE deliveries;
DROP TABLE suppliers;
DROP TABLE stock_ledger;
DROP FUNCTION stock_ledger_is_append_only();
ALTER TABLE stock_moves DROP COLUMN cause, DROP COLUMN ref_id, DROP COLUMN staff_id, DROP COLUMN at;
