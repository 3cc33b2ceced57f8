-- Up Migration

-- Sales no longer update the stock on hand: they append their draws here, and
-- the workers fold what has piled up into stock_levels a moment later
-- (fold_stock_moves below, back-end/src/queries/stock-moves.ts).
--
-- Why: a draw updated the product's stock row, and that row stayed locked
-- until the commit, which waits for the standby to flush the WAL. With 16
-- tills ringing up three of 60 products each, most sales shared a product
-- with another one in flight and queued behind its commit: a third of the
-- primary's busy backends were waiting on a row lock (Lock:transactionid),
-- more for the one pint every till pours. An insert waits for nobody.
--
-- Stock on hand is stock_levels plus the moves not yet folded (the view
-- stock_on_hand), so it is exact at every moment, whether a move has been
-- folded or not: a fold deletes the moves and adds them to stock_levels in one
-- transaction, so any snapshot sees each move exactly once.
--
-- No foreign keys: each would lock the product's row for key share on every
-- insert, the contention this table removes, and a move only ever comes from
-- a sale or a void of a product that has a stock_levels row. A move of a
-- product deleted meanwhile is folded into nothing, as its stock row is gone.
CREATE TABLE stock_moves (
  venue_id uuid NOT NULL,
  product_id uuid NOT NULL,
  units numeric(18, 8) NOT NULL          -- the change to stock on hand: negative for a draw
) WITH (
  -- Rows live for a fraction of a second: vacuum by count, not by share of a
  -- table that is nearly always empty.
  autovacuum_vacuum_scale_factor = 0,
  autovacuum_vacuum_threshold = 2000
);
CREATE INDEX stock_moves_product ON stock_moves (venue_id, product_id);

-- Asked for one venue, Postgres carries the venue into the grouped moves
-- (one index range, a handful of rows) instead of probing once per product.
CREATE VIEW stock_on_hand AS
  SELECT l.venue_id, l.product_id, l.stock_units + COALESCE(m.units, 0) AS stock_units
    FROM stock_levels l
    LEFT JOIN (
      SELECT venue_id, product_id, sum(units) AS units FROM stock_moves GROUP BY venue_id, product_id
    ) m ON m.venue_id = l.venue_id AND m.product_id = l.product_id;

-- One folder at a time (the others skip: the next fold takes their moves), so
-- two folds never lock stock rows in different orders, and nothing else
-- updates stock_levels. The advisory lock key is this function's own.
CREATE FUNCTION fold_stock_moves() RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
  folded integer;
BEGIN
  IF NOT pg_try_advisory_xact_lock(6153845011) THEN
    RETURN 0;
  END IF;
  WITH moved AS (
    DELETE FROM stock_moves RETURNING venue_id, product_id, units
  ), totals AS (
    SELECT venue_id, product_id, sum(units) AS units FROM moved GROUP BY venue_id, product_id
  )
  UPDATE stock_levels l SET stock_units = l.stock_units + t.units
    FROM totals t
   WHERE l.venue_id = t.venue_id AND l.product_id = t.product_id;
  GET DIAGNOSTICS folded = ROW_COUNT;
  RETURN folded;
END
$$;

-- A sale now appends its draws itself (back-end/src/queries/quick-sale.ts).
-- draw_stock stays, appending too, for workers from before this migration
-- while a rolling update replaces them: their sales then still go through.
CREATE OR REPLACE FUNCTION draw_stock(p_venue_id uuid, p_product_ids uuid[], p_units numeric[]) RETURNS void
LANGUAGE sql AS $$
  INSERT INTO stock_moves (venue_id, product_id, units)
  SELECT p_venue_id, x.product_id, -x.units FROM unnest(p_product_ids, p_units) AS x (product_id, units)
$$;

-- Down Migration
-- Every pending move folded before its table goes. Written out rather than
-- fold_stock_moves(), which skips its work while a worker's fold holds the lock.
WITH moved AS (
  DELETE FROM stock_moves RETURNING venue_id, product_id, units
), totals AS (
  SELECT venue_id, product_id, sum(units) AS units FROM moved GROUP BY venue_id, product_id
)
UPDATE stock_levels l SET stock_units = l.stock_units + t.units
  FROM totals t
 WHERE l.venue_id = t.venue_id AND l.product_id = t.product_id;

DROP FUNCTION draw_stock(uuid, uuid[], numeric[]);
CREATE FUNCTION draw_stock(p_venue_id uuid, p_product_ids uuid[], p_units numeric[]) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  d record;
BEGIN
  FOR d IN
    SELECT x.product_id, sum(x.units) AS units
      FROM unnest(p_product_ids, p_units) AS x (product_id, units)
     GROUP BY x.product_id
     ORDER BY x.product_id
  LOOP
    UPDATE stock_levels SET stock_units = stock_units - d.units WHERE venue_id = p_venue_id AND product_id = d.product_id;
  END LOOP;
END
$$;

DROP FUNCTION fold_stock_moves();
DROP VIEW stock_on_hand;
DROP TABLE stock_moves;
