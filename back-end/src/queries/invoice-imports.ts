import type { ReplyOf } from '@barback/messaging';
import { decimalText } from '../domain/ubl/decimal.js';
import { draftChecks, draftLines, type DraftLine, type LineMapping } from '../domain/ubl/draft.js';
import type { UblDocument } from '../domain/ubl/invoice.js';
import type { Queryable } from '../types.js';
import { onlyRow } from './rows.js';

export type InvoiceDraft = ReplyOf<'deliveries.getInvoiceDraft'>;
export type SupplierItemMapping = ReplyOf<'suppliers.mapSupplierItem'>;

export interface SupplierMatch {
  id: string;
  name: string;
  vatNumber: string | null;
  matchedBy: 'vatNumber' | 'name';
}

/**
 * The venue's supplier a document comes from: by VAT number (spaces and case
 * aside), else by name (case aside), else null (proposed as new).
 */
export async function matchSupplier(db: Queryable, venueId: string, party: { name: string; vatNumber: string | null }): Promise<SupplierMatch | null> {
  const { rows } = await db.query<{ id: string; name: string; vat_number: string | null; by_vat: boolean }>(
    `SELECT id, name, vat_number, $2::text IS NOT NULL AND upper(regexp_replace(vat_number, '\\s', '', 'g')) = $2 AS by_vat
       FROM suppliers
      WHERE venue_id = $1
        AND (($2::text IS NOT NULL AND upper(regexp_replace(vat_number, '\\s', '', 'g')) = $2) OR lower(name) = lower($3))
      ORDER BY 4 DESC, id
      LIMIT 1`,
    [venueId, party.vatNumber, party.name],
  );
  const r = rows[0];
  return r ? { id: r.id, name: r.name, vatNumber: r.vat_number, matchedBy: r.by_vat ? 'vatNumber' : 'name' } : null;
}

/** Whether this supplier's document number is recorded already (migration 0015's unique index, read first). */
export async function isInvoiceRecorded(db: Queryable, venueId: string, supplierId: string, invoiceNumber: string): Promise<boolean> {
  const { rows } = await db.query('SELECT 1 FROM deliveries WHERE venue_id = $1 AND supplier_id = $2 AND lower(invoice_number) = lower($3)', [
    venueId,
    supplierId,
    invoiceNumber,
  ]);
  return rows.length > 0;
}

export async function insertInvoiceDraft(
  db: Queryable,
  d: { venueId: string; supplierId: string | null; doc: UblDocument; document: string; staffId: string },
): Promise<string> {
  const result = await db.query<{ id: string }>(
    `INSERT INTO invoice_drafts (venue_id, supplier_id, kind, invoice_number, invoice_date, document, parsed, imported_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
    [d.venueId, d.supplierId, d.doc.kind, d.doc.number, d.doc.issueDate, d.document, JSON.stringify(d.doc), d.staffId],
  );
  return onlyRow(result).id;
}

interface DraftRow {
  id: string;
  supplier_id: string | null;
  parsed: UblDocument;
  delivery_id: string | null;
  imported_at: Date;
  staff_id: string;
  staff_name: string;
}

/** A draft of the venue, or null (another venue's id answers like an unknown one); `lock` for confirming it. */
async function draftRow(db: Queryable, venueId: string, id: string, lock: boolean): Promise<DraftRow | null> {
  const { rows } = await db.query<DraftRow>(
    `SELECT d.id, d.supplier_id, d.parsed, d.delivery_id, d.imported_at, s.id AS staff_id, s.name AS staff_name
       FROM invoice_drafts d JOIN staff s ON s.id = d.imported_by
      WHERE d.id = $1 AND d.venue_id = $2${lock ? ' FOR UPDATE OF d' : ''}`,
    [id, venueId],
  );
  return rows[0] ?? null;
}

/**
 * What each line maps to: the supplier's mapping by item code, else by
 * GTIN, with the product's class rate on the invoice date and the cost per
 * stock unit of its last invoice line.
 */
async function lineMappings(db: Queryable, venueId: string, supplierId: string | null, doc: UblDocument): Promise<Map<number, LineMapping>> {
  const out = new Map<number, LineMapping>();
  if (supplierId === null) return out;
  const { rows } = await db.query<{
    supplier_item_code: string | null;
    gtin: string | null;
    product_id: string;
    product_name: string;
    per_item: string;
    rate_bp: number | null;
    last_cost: number | null;
  }>(
    `SELECT m.supplier_item_code, m.gtin, m.product_id, p.name AS product_name, m.stock_units_per_item::text AS per_item, r.rate_bp,
            (SELECT l.unit_cost_cents FROM delivery_lines l JOIN deliveries d ON d.id = l.delivery_id
              WHERE l.venue_id = $1 AND l.product_id = m.product_id AND d.kind = 'invoice'
              ORDER BY d.recorded_at DESC, l.position DESC LIMIT 1) AS last_cost
       FROM supplier_item_mappings m
       JOIN products p ON p.id = m.product_id AND p.venue_id = m.venue_id
       LEFT JOIN LATERAL (
         SELECT rate_bp FROM vat_rates WHERE vat_class = p.vat_class AND effective_from <= $5::date
          ORDER BY effective_from DESC LIMIT 1) r ON true
      WHERE m.venue_id = $1 AND m.supplier_id = $2
        AND (m.supplier_item_code = ANY($3::text[]) OR m.gtin = ANY($4::text[]))`,
    [
      venueId,
      supplierId,
      doc.lines.flatMap((l) => (l.itemCode ? [l.itemCode] : [])),
      doc.lines.flatMap((l) => (l.gtin ? [l.gtin] : [])),
      doc.issueDate,
    ],
  );
  const toMapping = (r: (typeof rows)[number], by: LineMapping['by']): LineMapping => ({
    productId: r.product_id,
    productName: r.product_name,
    stockUnitsPerItemThousandths: BigInt(r.per_item.replace('.', '')),
    by,
    classRateBp: r.rate_bp ?? 0,
    lastUnitCostCents: r.last_cost,
  });
  for (const line of doc.lines) {
    const byCode = line.itemCode ? rows.find((r) => r.supplier_item_code === line.itemCode) : undefined;
    const byGtin = line.gtin ? rows.find((r) => r.gtin === line.gtin) : undefined;
    if (byCode) out.set(line.position, toMapping(byCode, 'itemCode'));
    else if (byGtin) out.set(line.position, toMapping(byGtin, 'gtin'));
  }
  return out;
}

/** The supplier a draft was matched to at import, and how. */
async function supplierOfDraft(db: Queryable, venueId: string, id: string, vatNumber: string | null): Promise<SupplierMatch | null> {
  const { rows } = await db.query<{ id: string; name: string; vat_number: string | null }>('SELECT id, name, vat_number FROM suppliers WHERE id = $1 AND venue_id = $2', [
    id,
    venueId,
  ]);
  const r = rows[0];
  if (!r) return null;
  const byVat = vatNumber !== null && r.vat_number?.replace(/\s/g, '').toUpperCase() === vatNumber;
  return { id: r.id, name: r.name, vatNumber: r.vat_number, matchedBy: byVat ? 'vatNumber' : 'name' };
}

/** A draft as it stands now, the reply's shape, and its lines with their mappings (what confirming records). */
export interface LoadedDraft {
  view: InvoiceDraft;
  doc: UblDocument;
  lines: DraftLine[];
  supplier: SupplierMatch | null;
  confirmed: boolean;
}

/** Mappings and the supplier match are worked out when read, so a line mapped since the import shows as mapped. */
export async function loadInvoiceDraft(db: Queryable, venueId: string, id: string, lock = false): Promise<LoadedDraft | null> {
  const row = await draftRow(db, venueId, id, lock);
  if (!row) return null;
  const doc = row.parsed;
  const supplier = row.supplier_id !== null ? await supplierOfDraft(db, venueId, row.supplier_id, doc.supplier.vatNumber) : await matchSupplier(db, venueId, doc.supplier);
  const lines = draftLines(doc, await lineMappings(db, venueId, supplier?.id ?? null, doc));
  const netCents = lines.reduce((t, l) => t + l.lineNetCents, 0);
  const vatCents = lines.reduce((t, l) => t + l.vatCents, 0);
  const view: InvoiceDraft = {
    id: row.id,
    status: row.delivery_id ? 'confirmed' : 'draft',
    deliveryId: row.delivery_id,
    kind: doc.kind,
    invoiceNumber: doc.number,
    invoiceDate: doc.issueDate,
    currency: doc.currency,
    supplier: supplier
      ? { id: supplier.id, name: supplier.name, vatNumber: supplier.vatNumber, matchedBy: supplier.matchedBy }
      : { id: null, name: doc.supplier.name, vatNumber: doc.supplier.vatNumber, matchedBy: null },
    lines: lines.map((l) => ({
      position: l.position,
      lineId: l.lineId,
      itemCode: l.itemCode,
      gtin: l.gtin,
      name: l.name,
      quantity: l.quantity,
      unitCode: l.unitCode,
      price: l.price,
      baseQuantity: l.baseQuantity,
      lineNetCents: l.lineNetCents,
      vatCategory: l.vatCategory,
      vatRateBp: l.vatRateBp,
      mapping: l.mapping
        ? { productId: l.mapping.productId, productName: l.mapping.productName, stockUnitsPerItem: Number(decimalText(l.mapping.stockUnitsPerItemThousandths, 3)), by: l.mapping.by }
        : null,
      stockUnits: l.stockUnitsThousandths === null ? null : Number(decimalText(l.stockUnitsThousandths, 3)),
      unitCostCents: l.unitCostCents,
      vatCents: l.vatCents,
    })),
    checks: draftChecks(doc, lines),
    documentTotals: doc.totals,
    ourTotals: { netCents, vatCents, grossCents: netCents + vatCents },
    importedAt: row.imported_at.toISOString(),
    importedBy: { id: row.staff_id, name: row.staff_name },
  };
  return { view, doc, lines, supplier, confirmed: row.delivery_id !== null };
}

/** Marks the draft confirmed as the delivery; false when it was confirmed already (by a racing confirm). */
export async function markDraftConfirmed(db: Queryable, venueId: string, id: string, deliveryId: string, staffId: string): Promise<boolean> {
  const { rowCount } = await db.query(
    `UPDATE invoice_drafts SET delivery_id = $3, confirmed_by = $4, confirmed_at = now(), supplier_id = d.supplier_id
       FROM deliveries d
      WHERE invoice_drafts.id = $1 AND invoice_drafts.venue_id = $2 AND invoice_drafts.delivery_id IS NULL AND d.id = $3`,
    [id, venueId, deliveryId, staffId],
  );
  return rowCount === 1;
}

/** Whether the product is one of the venue's (another venue's answers like an unknown one). */
export async function isVenueProduct(db: Queryable, venueId: string, productId: string): Promise<boolean> {
  const { rows } = await db.query('SELECT 1 FROM products WHERE id = $1 AND venue_id = $2', [productId, venueId]);
  return rows.length > 0;
}

/** Remembers (or replaces) what a supplier's item code or GTIN stands for. */
export async function upsertSupplierItemMapping(
  db: Queryable,
  m: { venueId: string; supplierId: string; supplierItemCode: string | null; gtin: string | null; productId: string; perItem: string; staffId: string },
): Promise<SupplierItemMapping> {
  const target = m.supplierItemCode !== null ? '(venue_id, supplier_id, supplier_item_code) WHERE supplier_item_code IS NOT NULL' : '(venue_id, supplier_id, gtin) WHERE gtin IS NOT NULL';
  const result = await db.query<{
    id: string;
    supplier_id: string;
    supplier_item_code: string | null;
    gtin: string | null;
    product_id: string;
    per_item: string;
    mapped_at: Date;
  }>(
    `INSERT INTO supplier_item_mappings (venue_id, supplier_id, supplier_item_code, gtin, product_id, stock_units_per_item, mapped_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT ${target}
     DO UPDATE SET product_id = EXCLUDED.product_id, stock_units_per_item = EXCLUDED.stock_units_per_item,
                   mapped_by = EXCLUDED.mapped_by, mapped_at = now()
     RETURNING id, supplier_id, supplier_item_code, gtin, product_id, stock_units_per_item::text AS per_item, mapped_at`,
    [m.venueId, m.supplierId, m.supplierItemCode, m.gtin, m.productId, m.perItem, m.staffId],
  );
  const r = onlyRow(result);
  return {
    id: r.id,
    supplierId: r.supplier_id,
    supplierItemCode: r.supplier_item_code,
    gtin: r.gtin,
    productId: r.product_id,
    stockUnitsPerItem: Number(r.per_item),
    mappedAt: r.mapped_at.toISOString(),
  };
}
