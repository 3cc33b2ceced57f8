-- Up Migration

-- Stocktakes (issue 17): a count of the cellar as of an instant (counted_at),
-- closed by a manager, which sets each product's stock to its count with one
-- stocktake_adjustment move dated counted_at (0015's ledger), and the
-- variance report between two closed stocktakes.

-- A keg or a bottle can be weighed: a partial container's share is
-- (gross grams − empty) / (full − empty).
ALTER TABLE products
  ADD COLUMN full_weight_grams integer CHECK (full_weight_grams > 0),
  ADD COLUMN empty_weight_grams integer CHECK (empty_weight_grams >= 0),
  ADD CONSTRAINT products_weights_order CHECK (full_weight_grams IS NULL OR empty_weight_grams IS NULL OR full_weight_grams > empty_weight_grams);

CREATE TABLE stocktakes (
  id uuid PRIMARY KEY DEFAULT uuid_v7(),
  venue_id uuid NOT NULL REFERENCES venues (id),
  counted_at timestamptz NOT NULL,
  started_by uuid NOT NULL REFERENCES staff (id),
  started_at timestamptz NOT NULL DEFAULT now(),
  closed_by uuid REFERENCES staff (id),
  closed_at timestamptz,
  CHECK ((closed_by IS NULL) = (closed_at IS NULL))
);
-- One open stocktake per venue: the second start is a unique violation (409).
CREATE UNIQUE INDEX stocktakes_one_open ON stocktakes (venue_id) WHERE closed_at IS NULL;
-- The previous closed stocktake: the variance period's start.
CREATE INDEX stocktakes_venue_closed ON stocktakes (venue_id, counted_at) WHERE closed_at IS NOT NULL;

-- One row per product counted; counting again replaces the row. On close,
-- every product of the stocktake has a row: the uncounted ones taken at the
-- system's figure (from_expected), and each row gets the stock expected at
-- counted_at, so the report reads the period's opening and closing here
-- instead of summing the ledger's whole history.
CREATE TABLE stocktake_counts (
  stocktake_id uuid NOT NULL REFERENCES stocktakes (id),
  venue_id uuid NOT NULL,
  product_id uuid NOT NULL REFERENCES products (id),
  full_units integer CHECK (full_units >= 0),
  partial_tenths integer CHECK (partial_tenths BETWEEN 0 AND 9),
  partial_grams integer CHECK (partial_grams >= 0),
  counted_units numeric(18, 8) NOT NULL,          -- a count is never below 0; the system's figure taken for an uncounted product can be
  from_expected boolean NOT NULL DEFAULT false,
  expected_units numeric(18, 8),                 -- set on close
  counted_by uuid REFERENCES staff (id),
  recorded_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (stocktake_id, product_id),
  CHECK (from_expected OR full_units IS NOT NULL),
  CHECK (partial_tenths IS NULL OR partial_grams IS NULL)
);
CREATE INDEX stocktake_counts_product ON stocktake_counts (venue_id, product_id);

-- stock.listStockMoves: a product's ledger newest first in the order of its
-- running balance (the fold's order, id), one index range however long its
-- history; 0015's (venue, product, at, id) orders by when, which a
-- stocktake's adjustment dated countedAt does not follow.
CREATE INDEX stock_ledger_product_id ON stock_ledger (venue_id, product_id, id);

-- Down Migration
DROP INDEX stock_ledger_product_id;
DROP TABLE stocktake_counts;
DROP TABLE stocktakes;
ALTER TABLE products DROP CONSTRAINT products_weights_order, DROP COLUMN full_weight_grams, DROP COLUMN empty_weight_grams;
