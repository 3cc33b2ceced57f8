-- Up Migration

-- VAT rates are data with effective dates, not constants in code.
CREATE TABLE vat_rates (
  vat_class text NOT NULL CHECK (vat_class IN ('standard', 'reduced')),
  effective_from date NOT NULL,
  rate_bp integer NOT NULL CHECK (rate_bp BETWEEN 0 AND 10000), -- basis points: 2300 = 23%
  PRIMARY KEY (vat_class, effective_from)
);
INSERT INTO vat_rates (vat_class, effective_from, rate_bp) VALUES
  ('standard', DATE '1900-01-01', 2300),
  ('reduced', DATE '1900-01-01', 1350),
  ('reduced', DATE '2026-07-01', 900);

-- The rate in force at a moment, judged by the calendar date in the venue's time zone.
CREATE FUNCTION vat_rate_bp(p_class text, p_at timestamptz, p_time_zone text) RETURNS integer
LANGUAGE sql STABLE AS $$
  SELECT rate_bp FROM vat_rates
   WHERE vat_class = p_class AND effective_from <= (p_at AT TIME ZONE p_time_zone)::date
   ORDER BY effective_from DESC LIMIT 1
$$;

CREATE TABLE products (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  venue_id uuid NOT NULL REFERENCES venues (id),
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 120),
  category text NOT NULL CHECK (category IN ('draught', 'bottle', 'spirit', 'wine', 'soft', 'food', 'other')),
  abv numeric(5, 2) NOT NULL DEFAULT 0 CHECK (abv BETWEEN 0 AND 100),
  vat_class text NOT NULL CHECK (vat_class IN ('standard', 'reduced')),
  unit_ml numeric(10, 1) CHECK (unit_ml > 0),           -- null: counted in units
  unit_cost_cents integer NOT NULL CHECK (unit_cost_cents >= 0),
  par_units numeric(12, 3) NOT NULL DEFAULT 0 CHECK (par_units >= 0),
  stock_units numeric(18, 8) NOT NULL DEFAULT 0,        -- on hand, in stock units (a pint is 0.01136 of a 50 l keg)
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX products_venue_name_key ON products (venue_id, lower(name));

CREATE TABLE servings (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  product_id uuid NOT NULL REFERENCES products (id),
  venue_id uuid NOT NULL REFERENCES venues (id),
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 60),
  ml numeric(8, 1) CHECK (ml > 0),                      -- null: one whole stock unit
  price_cents integer NOT NULL CHECK (price_cents >= 0), -- gross, VAT included
  position integer NOT NULL DEFAULT 0,
  active boolean NOT NULL DEFAULT true                  -- retired servings stay for the sales that used them
);
CREATE INDEX servings_product_idx ON servings (product_id, position);

-- A tab is open until paid; a closed tab is a sale.
CREATE TABLE tabs (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  venue_id uuid NOT NULL REFERENCES venues (id),
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 60),
  status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
  opened_by uuid NOT NULL REFERENCES staff (id),
  opened_at timestamptz NOT NULL DEFAULT now(),
  closed_by uuid REFERENCES staff (id),
  closed_at timestamptz,
  gross_cents integer,
  vat_cents integer,
  net_cents integer,
  CHECK ((status = 'open') = (closed_at IS NULL))
);
CREATE INDEX tabs_open_idx ON tabs (venue_id, opened_at) WHERE status = 'open';
CREATE INDEX tabs_closed_idx ON tabs (venue_id, closed_at) WHERE status = 'closed';

CREATE TABLE tab_lines (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tab_id uuid NOT NULL REFERENCES tabs (id),
  venue_id uuid NOT NULL REFERENCES venues (id),
  serving_id uuid NOT NULL REFERENCES servings (id),
  product_id uuid NOT NULL REFERENCES products (id),
  description text NOT NULL,                             -- as sold, e.g. "Guinness (Pint)"
  quantity integer NOT NULL CHECK (quantity > 0),
  unit_price_cents integer NOT NULL CHECK (unit_price_cents >= 0),
  gross_cents integer NOT NULL,
  vat_class text NOT NULL,
  vat_rate_bp integer,                                   -- fixed when the tab is closed (the sale is recorded)
  vat_cents integer,
  net_cents integer,
  stock_draw_units numeric(18, 8) NOT NULL,
  added_by uuid NOT NULL REFERENCES staff (id),
  -- clock_timestamp, not now(): a quick sale adds all its lines in one transaction and they keep their order.
  added_at timestamptz NOT NULL DEFAULT clock_timestamp(),
  voided_at timestamptz,
  voided_by uuid REFERENCES staff (id),
  void_reason text
);
CREATE INDEX tab_lines_tab_idx ON tab_lines (tab_id, added_at);

CREATE TABLE payments (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tab_id uuid NOT NULL REFERENCES tabs (id),
  venue_id uuid NOT NULL REFERENCES venues (id),
  method text NOT NULL CHECK (method IN ('cash', 'card', 'other')),
  amount_cents integer NOT NULL CHECK (amount_cents > 0),
  created_at timestamptz NOT NULL DEFAULT clock_timestamp() -- keeps a split payment's parts in the order given
);
CREATE INDEX payments_tab_idx ON payments (tab_id);

-- A refund is its own negative entry linked to the sale; the sale is never edited.
CREATE TABLE refunds (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  venue_id uuid NOT NULL REFERENCES venues (id),
  sale_id uuid NOT NULL REFERENCES tabs (id),
  reason text NOT NULL CHECK (length(reason) BETWEEN 1 AND 500),
  refunded_by uuid NOT NULL REFERENCES staff (id),
  refunded_at timestamptz NOT NULL DEFAULT now(),
  gross_cents integer NOT NULL CHECK (gross_cents <= 0),
  vat_cents integer NOT NULL CHECK (vat_cents <= 0),
  net_cents integer NOT NULL CHECK (net_cents <= 0)
);
CREATE INDEX refunds_sale_idx ON refunds (sale_id);
CREATE INDEX refunds_venue_idx ON refunds (venue_id, refunded_at);

CREATE TABLE refund_lines (
  refund_id uuid NOT NULL REFERENCES refunds (id),
  tab_line_id uuid NOT NULL REFERENCES tab_lines (id),
  quantity integer NOT NULL CHECK (quantity > 0),
  gross_cents integer NOT NULL,
  vat_cents integer NOT NULL,
  net_cents integer NOT NULL,
  PRIMARY KEY (refund_id, tab_line_id)
);
-- A sale line can be refunded once.
CREATE UNIQUE INDEX refund_lines_line_key ON refund_lines (tab_line_id);

-- Who, when, what and why: append-only, enforced by the database itself.
CREATE TABLE audit_log (
  id bigserial PRIMARY KEY,
  venue_id uuid NOT NULL REFERENCES venues (id),
  staff_id uuid REFERENCES staff (id),
  action text NOT NULL,
  entity_type text,
  entity_id uuid,
  reason text,
  details jsonb NOT NULL DEFAULT '{}'::jsonb,
  at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX audit_log_venue_idx ON audit_log (venue_id, at DESC);

CREATE FUNCTION audit_log_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only' USING ERRCODE = 'insufficient_privilege';
END $$;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_is_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION audit_log_is_append_only();

-- Down Migration
DROP TABLE audit_log;
DROP FUNCTION audit_log_is_append_only();
DROP TABLE refund_lines;
DROP TABLE refunds;
DROP TABLE payments;
DROP TABLE tab_lines;
DROP TABLE tabs;
DROP TABLE servings;
DROP TABLE products;
DROP FUNCTION vat_rate_bp(text, timestamptz, text);
DROP TABLE vat_rates;
