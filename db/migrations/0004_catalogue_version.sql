-- Up Migration

-- A venue's catalogue (products and servings, everything but the stock on
-- hand) changes a few times a week; its stock changes with every sale. The
-- version below moves with the first and never with the second, so a worker
-- can keep a venue's catalogue and read only the version and the stock per
-- request. No row: version 0.
CREATE TABLE catalogue_versions (
  venue_id uuid PRIMARY KEY REFERENCES venues (id),
  version bigint NOT NULL
);

CREATE FUNCTION bump_catalogue_version() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  v_venue uuid := CASE WHEN TG_OP = 'DELETE' THEN OLD.venue_id ELSE NEW.venue_id END;
BEGIN
  INSERT INTO catalogue_versions AS c (venue_id, version) VALUES (v_venue, 1)
  ON CONFLICT (venue_id) DO UPDATE SET version = c.version + 1;
  RETURN NULL;
END
$$;

CREATE TRIGGER products_catalogue_version AFTER INSERT OR DELETE ON products
  FOR EACH ROW EXECUTE FUNCTION bump_catalogue_version();
-- Every column but the stock, whatever columns come later: a sale's stock
-- draw must not throw every worker's copy away.
CREATE TRIGGER products_catalogue_version_update AFTER UPDATE ON products
  FOR EACH ROW WHEN ((to_jsonb(OLD) - 'stock_units') IS DISTINCT FROM (to_jsonb(NEW) - 'stock_units'))
  EXECUTE FUNCTION bump_catalogue_version();
CREATE TRIGGER servings_catalogue_version AFTER INSERT OR UPDATE OR DELETE ON servings
  FOR EACH ROW EXECUTE FUNCTION bump_catalogue_version();

-- Down Migration
DROP TRIGGER servings_catalogue_version ON servings;
DROP TRIGGER products_catalogue_version_update ON products;
DROP TRIGGER products_catalogue_version ON products;
DROP FUNCTION bump_catalogue_version();
DROP TABLE catalogue_versions;
