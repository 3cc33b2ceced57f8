-- Up Migration

-- Low-stock alerts (issue 16): a product whose stock on hand falls below its
-- par level emits stock.belowPar once per crossing, and stock.backToPar when
-- it recovers, within a second of the move that caused it, however the stock
-- moved (docs/architecture.md, decision 18).
--
-- Where: in the fold. Sales only append stock moves (0006), so no sale knows
-- the level it leaves behind without reading the other sales' moves, and a
-- check per sale would either make sales of one product wait on each other
-- (locking the stock row) or let two concurrent sales both see the crossing.
-- The fold is the one place that sees every move, one fold at a time under
-- its advisory lock: there, after folding, each touched product's stock on
-- hand is compared with its par and stock_levels.below_par (0011) flipped
-- where the state changed, with one outbox row per flip in the same
-- transaction. A flip is a change of a row only ever written under that lock,
-- so however many sales and folds run at once, each crossing is one event.
--
-- Everything else that changes whether a product is below par reaches the
-- fold the same way: stock that moves for any other reason (deliveries,
-- wastage, stocktakes: issue 17) appends a move; a change of par or of the
-- archive appends a move of zero units (the trigger below), which the fold
-- then checks like any other. A write that must settle the state in its own
-- transaction instead can call check_par(venue, product ids).
--
-- The rules (par_state below): a product is below par when its par is above
-- zero, it is not archived, and stock on hand is under the par. Par 0 never
-- alerts. An archived product is off the till and not reordered, so it counts
-- as par 0: archiving one that is below par emits stock.backToPar with
-- parUnits 0 (a panel of products to order drops it), restoring it emits
-- stock.belowPar again if it still is. A new product starts in its state
-- (below par if its par is above zero: it has no stock yet) without an event;
-- being created is not a crossing. orderUnits = ceil(par − on hand).

-- The advisory lock of fold_stock_moves (0006): whoever holds it is the only
-- writer of stock_levels and below_par.

-- Compares stock on hand with par for the given (venue, product) pairs, flips
-- below_par where the state changed and inserts one outbox row per flip.
-- Returns the number of flips. Takes the fold's lock (waiting for a fold in
-- progress; held until the caller's commit, and re-entrant, so the fold's own
-- call takes nothing): a caller must take it before it locks any stock_levels
-- row, or it could deadlock with a fold that holds the lock and wants the row.
--
-- p_with_pending: stock on hand counts the moves not yet folded (check_par,
-- for a caller outside a fold). The fold passes false: it has just folded
-- every move its snapshot saw, and summing the product's moves right after
-- deleting them walks every dead index entry it left (5,000 moves: about
-- 6.6 ms more a fold, against 0.2 ms without). Moves committed since its snapshot
-- are the next fold's, which checks them; a check_par that saw them committed
-- before the fold took the lock, so the fold's snapshot has them too, and the
-- two never disagree into an extra pair of events.
CREATE FUNCTION check_par_pairs(p_venue_ids uuid[], p_product_ids uuid[], p_with_pending boolean) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
  flips integer;
BEGIN
  PERFORM pg_advisory_xact_lock(6153845011);
  WITH checked AS (
    SELECT l.venue_id, l.product_id, p.name, l.below_par AS was_below,
           l.stock_units + CASE WHEN p_with_pending
                                THEN COALESCE((SELECT sum(m.units) FROM stock_moves m
                                                WHERE m.venue_id = l.venue_id AND m.product_id = l.product_id), 0)
                                ELSE 0 END AS on_hand,
           CASE WHEN p.archived_at IS NULL THEN p.par_units ELSE 0 END AS par
      FROM (SELECT DISTINCT x.venue_id, x.product_id FROM unnest(p_venue_ids, p_product_ids) AS x (venue_id, product_id)) x
      JOIN stock_levels l ON l.venue_id = x.venue_id AND l.product_id = x.product_id
      JOIN products p ON p.id = l.product_id AND p.venue_id = l.venue_id
  ), changed AS (
    SELECT c.*, c.par > 0 AND c.on_hand < c.par AS now_below FROM checked c
  ), flipped AS (
    UPDATE stock_levels l SET below_par = c.now_below
      FROM changed c
     WHERE l.venue_id = c.venue_id AND l.product_id = c.product_id AND l.below_par IS DISTINCT FROM c.now_below
    RETURNING l.venue_id, l.product_id, c.name, c.on_hand, c.par, c.now_below
  ), emitted AS (
    -- The shape of messaging/src/events/stock.ts (version 1 of both types);
    -- test/back-end/jobs/par-crossings.test.ts checks it against the schemas.
    INSERT INTO outbox (id, venue_id, type, version, aggregate_type, aggregate_id, data)
    SELECT uuid_v7(), f.venue_id,
           CASE WHEN f.now_below THEN 'stock.belowPar' ELSE 'stock.backToPar' END,
           1, 'product', f.product_id::text,
           jsonb_build_object('productId', f.product_id, 'name', f.name, 'stockUnits', f.on_hand, 'parUnits', f.par)
             || CASE WHEN f.now_below THEN jsonb_build_object('orderUnits', ceil(f.par - f.on_hand)::bigint) ELSE '{}'::jsonb END
      FROM flipped f
     ORDER BY f.venue_id, f.product_id
    RETURNING 1
  )
  SELECT count(*)::integer INTO flips FROM emitted;
  RETURN flips;
END
$$;

-- For a write of one venue: check_par(venue, product ids).
CREATE FUNCTION check_par(p_venue_id uuid, p_product_ids uuid[]) RETURNS integer
LANGUAGE sql AS $$
  SELECT check_par_pairs(array_fill(p_venue_id, ARRAY[cardinality(p_product_ids)]), p_product_ids, true)
$$;

-- As in 0006, plus the check of every product whose moves it folded. Returns
-- how many stock rows it folded, or -1 when another fold held the lock (the
-- worker then tries again shortly: that fold may have started before this
-- worker's moves committed, and a crossing must not wait for the next write).
-- The folding statement is unchanged, so stock rows are written as before.
-- Cost (backend CPU from /proc/<pid>/schedstat, 2-core development machine,
-- one venue of 60 products; docs/architecture.md, decision 18): the check
-- alone takes 0.22-0.25 ms a fold when nothing crosses. Appending then
-- folding 5,000 moves took 22.3 ms a round with the check against 20.5 ms
-- without (medians of 5 alternating runs of 20 rounds; the spread within
-- each variant was larger than the gap), 100 moves 7.3 against 7.1 ms, and a
-- fold in which all 60 products crossed, 60 outbox rows, 22.0 against 20.7.
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

-- A change of par, or archiving and restoring, can cross par with no stock
-- moving: it appends a move of nothing, so the next fold checks the product
-- (the worker folds after every write). A trigger rather than a call in the
-- handler, so any write of a par (catalogue.updateProduct, an import, a manual
-- fix in SQL) is checked. The move is an insert: the par change waits for
-- nothing, and rolls back with it.
CREATE FUNCTION par_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO stock_moves (venue_id, product_id, units) VALUES (NEW.venue_id, NEW.id, 0);
  RETURN NULL;
END
$$;

CREATE TRIGGER products_par_changed AFTER UPDATE OF par_units, archived_at ON products
  FOR EACH ROW
  WHEN (OLD.par_units IS DISTINCT FROM NEW.par_units OR (OLD.archived_at IS NULL) IS DISTINCT FROM (NEW.archived_at IS NULL))
  EXECUTE FUNCTION par_changed();

-- A new product starts in its state, without an event: no stock yet, so below
-- par if it has one.
CREATE OR REPLACE FUNCTION create_stock_level() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO stock_levels (venue_id, product_id, below_par)
  VALUES (NEW.venue_id, NEW.id, NEW.par_units > 0 AND NEW.archived_at IS NULL);
  RETURN NULL;
END
$$;

-- Existing products start in their current state, without events (an alert
-- for every product already low would be a storm of old news). Under the
-- fold's lock, so no fold flips a row meanwhile.
SELECT pg_advisory_xact_lock(6153845011);
UPDATE stock_levels l SET below_par = s.below
  FROM (
    SELECT o.venue_id, o.product_id,
           p.archived_at IS NULL AND p.par_units > 0 AND o.stock_units < p.par_units AS below
      FROM stock_on_hand o
      JOIN products p ON p.id = o.product_id
  ) s
 WHERE l.venue_id = s.venue_id AND l.product_id = s.product_id AND l.below_par IS DISTINCT FROM s.below;

-- Down Migration
-- below_par stays (0011's column); nothing writes it after this.
CREATE OR REPLACE FUNCTION create_stock_level() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO stock_levels (venue_id, product_id) VALUES (NEW.venue_id, NEW.id);
  RETURN NULL;
END
$$;

DROP TRIGGER products_par_changed ON products;
DROP FUNCTION par_changed();

-- 0006's fold again. Moves of zero units left by the trigger fold into nothing.
CREATE OR REPLACE FUNCTION fold_stock_moves() RETURNS integer
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

DROP FUNCTION check_par(uuid, uuid[]);
DROP FUNCTION check_par_pairs(uuid[], uuid[], boolean);
