-- Up Migration

-- A product no longer sold is archived, not deleted: its sales, tab lines and
-- audit entries keep pointing at it, and it can be restored. Archived
-- products leave the till and the catalogue's default list
-- (back-end/src/catalogue-cache/, queries/catalogue.ts) and cannot be rung up.
-- A column, not a status table: the catalogue's version trigger (0004, 0005)
-- fires on every products update, so archiving and restoring reach every
-- worker's kept catalogue on the next list.
ALTER TABLE products ADD COLUMN archived_at timestamptz;

-- Where a product sits within its category on the till and in the catalogue:
-- 1 first. The workers keep each category's products that are not archived
-- numbered 1..n (queries/catalogue.ts, placeInCategory); the name breaks a
-- tie, so rows written by anything else still have one order.
ALTER TABLE products ADD COLUMN sort_order integer NOT NULL DEFAULT 0 CHECK (sort_order >= 0);

-- Products from before keep the order they had: by name within the category.
UPDATE products p SET sort_order = o.n
  FROM (SELECT id, row_number() OVER (PARTITION BY venue_id, category ORDER BY lower(name), id) AS n FROM products) o
 WHERE o.id = p.id;

-- Down Migration
ALTER TABLE products DROP COLUMN sort_order;
ALTER TABLE products DROP COLUMN archived_at;
