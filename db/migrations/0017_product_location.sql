-- Up Migration

-- Where a product is kept (issue 17): short free text a manager types, such as
-- "Cellar", "Keg room" or "Back bar". The stocktake count sheet groups each
-- category's products by it, so a person counts the cellar shelf by shelf
-- instead of walking back and forth in the order of the till. Optional: null
-- when nobody has said (never an empty string: the contract refuses one and
-- the form sends null). 40 characters, like the contract's limit: a label on
-- a shelf, not a note.
ALTER TABLE products
  ADD COLUMN location text CHECK (length(btrim(location)) BETWEEN 1 AND 40);

-- Down Migration
ALTER TABLE products DROP COLUMN location;
