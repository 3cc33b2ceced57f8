import type { ReplyOf } from '@barback/messaging';
import { splitPage, type PageKey } from '../domain/cursor.js';
import type { Queryable } from '../types.js';
import { onlyRow } from './rows.js';

export type Delivery = ReplyOf<'deliveries.getDelivery'>;

/** A product as a delivery line needs it: its cost now and its VAT class's rate on the invoice date. */
export interface ProductForDelivery {
  id: string;
  name: string;
  unit_cost_cents: number;
  rate_bp: number;
}

/**
 * The venue's products a delivery names, locked in id order (an invoice's
 * cost becomes the product's, and two deliveries of the same products then
 * apply one after the other without deadlocking), with the rate of each
 * one's VAT class in force on the invoice date.
 */
export async function productsForDelivery(db: Queryable, venueId: string, productIds: string[], invoiceDate: string): Promise<Map<string, ProductForDelivery>> {
  const { rows } = await db.query<ProductForDelivery>(
    `SELECT p.id, p.name, p.unit_cost_cents, r.rate_bp
       FROM products p
       LEFT JOIN LATERAL (
         SELECT rate_bp FROM vat_rates WHERE vat_class = p.vat_class AND effective_from <= $3::date
          ORDER BY effective_from DESC LIMIT 1) r ON true
      WHERE p.id = ANY($1::uuid[]) AND p.venue_id = $2
      ORDER BY p.id
        FOR UPDATE OF p`,
    [productIds, venueId, invoiceDate],
  );
  return new Map(rows.map((r) => [r.id, r]));
}

/** The same document number from the same supplier again (migration 0015's unique index). */
export function isDuplicateInvoice(err: unknown): boolean {
  const e = err as { code?: string; constraint?: string };
  return e.code === '23505' && e.constraint === 'deliveries_supplier_number_key';
}

export interface DeliveryRows {
  venueId: string;
  supplierId: string;
  invoiceNumber: string;
  invoiceDate: string;
  kind: 'invoice' | 'creditNote';
  netCents: number;
  vatCents: number;
  grossCents: number;
  staffId: string;
  lines: { productId: string; quantity: string; unitCostCents: number; vatRateBp: number; netCents: number; vatCents: number }[];
}

/** The delivery and its lines in one statement; returns the ids, lines in the order given. */
export async function insertDelivery(db: Queryable, d: DeliveryRows): Promise<{ id: string; recordedAt: Date; lineIds: string[] }> {
  const result = await db.query<{ id: string; recorded_at: Date; line_ids: string[] }>(
    `WITH delivery AS (
       INSERT INTO deliveries (venue_id, supplier_id, invoice_number, invoice_date, kind, net_cents, vat_cents, gross_cents, recorded_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
       RETURNING id, recorded_at
     ), line AS (
       INSERT INTO delivery_lines (id, delivery_id, venue_id, position, product_id, quantity, unit_cost_cents, vat_rate_bp, net_cents, vat_cents)
       SELECT uuid_v7(), delivery.id, $1, l.n, l.product_id, l.quantity, l.cost, l.rate, l.net, l.vat
         FROM delivery, unnest($10::uuid[], $11::numeric[], $12::int[], $13::int[], $14::bigint[], $15::bigint[])
                        WITH ORDINALITY AS l (product_id, quantity, cost, rate, net, vat, n)
       RETURNING id, position
     )
     SELECT delivery.id, delivery.recorded_at, (SELECT array_agg(line.id ORDER BY line.position) FROM line) AS line_ids FROM delivery`,
    [
      d.venueId,
      d.supplierId,
      d.invoiceNumber,
      d.invoiceDate,
      d.kind,
      d.netCents,
      d.vatCents,
      d.grossCents,
      d.staffId,
      d.lines.map((l) => l.productId),
      d.lines.map((l) => l.quantity),
      d.lines.map((l) => l.unitCostCents),
      d.lines.map((l) => l.vatRateBp),
      d.lines.map((l) => l.netCents),
      d.lines.map((l) => l.vatCents),
    ],
  );
  const row = onlyRow(result);
  return { id: row.id, recordedAt: row.recorded_at, lineIds: row.line_ids };
}

/** A product's cost per stock unit, as an invoice delivered it. */
export async function setUnitCost(db: Queryable, venueId: string, productId: string, unitCostCents: number): Promise<void> {
  await db.query('UPDATE products SET unit_cost_cents = $3, updated_at = now() WHERE id = $1 AND venue_id = $2', [productId, venueId, unitCostCents]);
}

interface DeliveryRow {
  id: string;
  supplier_id: string;
  invoice_number: string;
  invoice_date: string;
  kind: 'invoice' | 'creditNote';
  net_cents: string;
  vat_cents: string;
  gross_cents: string;
  recorded_at: Date;
  key_at: string;
  staff_id: string;
  staff_name: string;
  lines: { id: string; productId: string; quantity: string; unitCostCents: number; vatRateBp: number; netCents: number; vatCents: number }[];
}

// Lines come as JSON built by Postgres; quantities as text, so the numeric is
// read exactly as stored, and the cents as integers.
const SELECT = `
  SELECT d.id, d.supplier_id, d.invoice_number, to_char(d.invoice_date, 'YYYY-MM-DD') AS invoice_date, d.kind,
         d.net_cents::text, d.vat_cents::text, d.gross_cents::text, d.recorded_at,
         to_char(d.recorded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS key_at,
         s.id AS staff_id, s.name AS staff_name,
         (SELECT json_agg(json_build_object('id', l.id, 'productId', l.product_id, 'quantity', l.quantity::text,
                                            'unitCostCents', l.unit_cost_cents, 'vatRateBp', l.vat_rate_bp,
                                            'netCents', l.net_cents, 'vatCents', l.vat_cents) ORDER BY l.position)
            FROM delivery_lines l WHERE l.delivery_id = d.id) AS lines
    FROM deliveries d JOIN staff s ON s.id = d.recorded_by`;

function toDelivery(r: DeliveryRow): Delivery {
  return {
    id: r.id,
    supplierId: r.supplier_id,
    invoiceNumber: r.invoice_number,
    invoiceDate: r.invoice_date,
    kind: r.kind,
    lines: r.lines.map((l) => ({ ...l, quantity: Number(l.quantity) })),
    netCents: Number(r.net_cents),
    vatCents: Number(r.vat_cents),
    grossCents: Number(r.gross_cents),
    recordedAt: r.recorded_at.toISOString(),
    recordedBy: { id: r.staff_id, name: r.staff_name },
  };
}

/** One delivery of the venue, or null (another venue's id answers like an unknown one). */
export async function deliveryById(db: Queryable, venueId: string, id: string): Promise<Delivery | null> {
  const { rows } = await db.query<DeliveryRow>(`${SELECT} WHERE d.id = $1 AND d.venue_id = $2`, [id, venueId]);
  return rows[0] ? toDelivery(rows[0]) : null;
}

/**
 * Deliveries recorded in [from, to), newest first by (recorded_at, id), a
 * page after `after` (deliveries_venue_recorded, migration 0015).
 */
export async function deliveriesBetween(
  db: Queryable,
  venueId: string,
  q: { from: Date | null; to: Date | null; after: PageKey | null; limit: number },
): Promise<{ items: Delivery[]; nextKey: PageKey | null }> {
  const { rows } = await db.query<DeliveryRow>(
    `${SELECT}
      WHERE d.venue_id = $1
        AND ($2::timestamptz IS NULL OR d.recorded_at >= $2) AND ($3::timestamptz IS NULL OR d.recorded_at < $3)
        AND ($4::timestamptz IS NULL OR (d.recorded_at, d.id) < ($4, $5::uuid))
      ORDER BY d.recorded_at DESC, d.id DESC
      LIMIT $6`,
    [venueId, q.from, q.to, q.after?.at ?? null, q.after?.id ?? null, q.limit + 1],
  );
  const page = splitPage(rows, q.limit, (r) => ({ at: r.key_at, id: r.id }));
  return { items: page.rows.map(toDelivery), nextKey: page.nextKey };
}
