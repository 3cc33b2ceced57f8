-- Up Migration

-- Deliveries from suppliers' e-invoices (issue 18): a UBL Invoice or
-- CreditNote is read into a draft that changes nothing until a manager
-- confirms it, and the products a supplier's item codes (or GTINs) stand
-- for are remembered per supplier, so the next invoice maps itself.

-- A document as imported: the text as sent (what was actually received,
-- for a later dispute), what we read from it (parsed, the reply's shape), and
-- once confirmed, the delivery it became. supplier_id is the supplier matched
-- at import; a draft from a supplier not yet known has none until confirmed.
CREATE TABLE invoice_drafts (
  id uuid PRIMARY KEY DEFAULT uuid_v7(),
  venue_id uuid NOT NULL REFERENCES venues (id),
  supplier_id uuid REFERENCES suppliers (id),
  kind text NOT NULL CHECK (kind IN ('invoice', 'creditNote')),
  invoice_number text NOT NULL CHECK (length(invoice_number) BETWEEN 1 AND 60),
  invoice_date date NOT NULL,
  document text NOT NULL CHECK (octet_length(document) <= 2097152),
  parsed jsonb NOT NULL,
  imported_by uuid NOT NULL REFERENCES staff (id),
  imported_at timestamptz NOT NULL DEFAULT now(),
  delivery_id uuid REFERENCES deliveries (id),
  confirmed_by uuid REFERENCES staff (id),
  confirmed_at timestamptz,
  CHECK ((delivery_id IS NULL) = (confirmed_at IS NULL) AND (confirmed_by IS NULL) = (confirmed_at IS NULL))
);
CREATE INDEX invoice_drafts_venue_imported ON invoice_drafts (venue_id, imported_at DESC, id DESC);
-- A delivery comes from one draft at most: a second confirm is refused (409).
CREATE UNIQUE INDEX invoice_drafts_delivery_key ON invoice_drafts (delivery_id) WHERE delivery_id IS NOT NULL;

-- What a supplier's item is in our catalogue: by the supplier's own item
-- code, or by GTIN when a line carries no code. stock_units_per_item is the
-- pack conversion (a case of 24 bottles = 24; a 50 l keg counted in kegs = 1).
CREATE TABLE supplier_item_mappings (
  id uuid PRIMARY KEY DEFAULT uuid_v7(),
  venue_id uuid NOT NULL REFERENCES venues (id),
  supplier_id uuid NOT NULL REFERENCES suppliers (id),
  supplier_item_code text CHECK (length(supplier_item_code) BETWEEN 1 AND 60),
  gtin text CHECK (gtin ~ '^[0-9]{8,14}$'),
  product_id uuid NOT NULL REFERENCES products (id),
  stock_units_per_item numeric(12, 3) NOT NULL CHECK (stock_units_per_item > 0),
  mapped_by uuid NOT NULL REFERENCES staff (id),
  mapped_at timestamptz NOT NULL DEFAULT now(),
  CHECK (num_nonnulls(supplier_item_code, gtin) = 1)
);
-- Mapping the same code again replaces the product it stands for (an upsert on these).
CREATE UNIQUE INDEX supplier_item_mappings_code_key ON supplier_item_mappings (venue_id, supplier_id, supplier_item_code) WHERE supplier_item_code IS NOT NULL;
CREATE UNIQUE INDEX supplier_item_mappings_gtin_key ON supplier_item_mappings (venue_id, supplier_id, gtin) WHERE gtin IS NOT NULL;

-- Down Migration
DROP TABLE supplier_item_mappings;
DROP TABLE invoice_drafts;
