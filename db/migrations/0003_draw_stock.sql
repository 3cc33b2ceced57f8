-- Up Migration

-- Draws stock for several products in one call, locking their rows in id
-- order: two sales of the same products, in whatever order they were rung
-- up, then queue behind each other instead of deadlocking. A plain UPDATE
-- over a join promises no order, so the loop is what keeps it deterministic.
CREATE FUNCTION draw_stock(p_product_ids uuid[], p_units numeric[]) RETURNS void
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
    UPDATE products SET stock_units = stock_units - d.units WHERE id = d.product_id;
  END LOOP;
END
$$;

-- Down Migration
DROP FUNCTION draw_stock(uuid[], numeric[]);
