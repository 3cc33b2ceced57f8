import type { ReplyOf } from '@barback/messaging';
import type { Queryable } from '../types.js';
import { onlyRow } from './rows.js';

export type Supplier = ReplyOf<'suppliers.createSupplier'>;

interface SupplierRow {
  id: string;
  name: string;
  vat_number: string | null;
  email: string | null;
  phone: string | null;
  created_at: Date;
}

const COLUMNS = 'id, name, vat_number, email, phone, created_at';

function toSupplier(r: SupplierRow): Supplier {
  return { id: r.id, name: r.name, vatNumber: r.vat_number, email: r.email, phone: r.phone, createdAt: r.created_at.toISOString() };
}

/** A second supplier of the same name (any case) in the venue: migration 0015's unique index. */
export function isDuplicateSupplier(err: unknown): boolean {
  const e = err as { code?: string; constraint?: string };
  return e.code === '23505' && e.constraint === 'suppliers_venue_name_key';
}

export async function insertSupplier(
  db: Queryable,
  venueId: string,
  s: { name: string; vatNumber: string | null; email: string | null; phone: string | null },
): Promise<Supplier> {
  const result = await db.query<SupplierRow>(
    `INSERT INTO suppliers (venue_id, name, vat_number, email, phone) VALUES ($1, $2, $3, $4, $5) RETURNING ${COLUMNS}`,
    [venueId, s.name, s.vatNumber, s.email, s.phone],
  );
  return toSupplier(onlyRow(result));
}

export async function suppliersOfVenue(db: Queryable, venueId: string): Promise<Supplier[]> {
  const { rows } = await db.query<SupplierRow>(`SELECT ${COLUMNS} FROM suppliers WHERE venue_id = $1 ORDER BY lower(name), id`, [venueId]);
  return rows.map(toSupplier);
}

/** The supplier's name, or null when the id is not one of this venue's suppliers. */
export async function supplierName(db: Queryable, venueId: string, id: string): Promise<string | null> {
  const { rows } = await db.query<{ name: string }>('SELECT name FROM suppliers WHERE id = $1 AND venue_id = $2', [id, venueId]);
  return rows[0]?.name ?? null;
}
