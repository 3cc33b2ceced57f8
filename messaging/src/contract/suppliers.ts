import { Type } from '@sinclair/typebox';
import { defineAction } from './define.js';
import { Email, Nullable, Text, Timestamp, Uuid } from './common.js';

export const Supplier = Type.Object({
  id: Uuid,
  name: Type.String(),
  vatNumber: Nullable(Type.String()),
  email: Nullable(Type.String()),
  phone: Nullable(Type.String()),
  createdAt: Timestamp,
});

/** What one of a supplier's items is here: by the supplier's item code, or by GTIN when its lines carry no code. */
export const SupplierItemMapping = Type.Object({
  id: Uuid,
  supplierId: Uuid,
  supplierItemCode: Nullable(Type.String()),
  gtin: Nullable(Type.String()),
  productId: Uuid,
  /** Stock units one invoiced item is: a case of 24 bottles counted in bottles = 24, a 50 l keg counted in kegs = 1. */
  stockUnitsPerItem: Type.Number(),
  mappedAt: Timestamp,
});

export const suppliersActions = {
  /** Managers: a supplier deliveries and credit notes come from; names are unique per venue (409). */
  'suppliers.createSupplier': defineAction({
    kind: 'write',
    auth: 'session',
    role: 'manager',
    request: Type.Object(
      {
        name: Text(120),
        vatNumber: Type.Optional(Text(30)),
        email: Type.Optional(Email),
        phone: Type.Optional(Type.String({ minLength: 1, maxLength: 40, pattern: '^\\+?[0-9 ()./-]{3,40}$' })),
      },
      { additionalProperties: false },
    ),
    reply: Supplier,
  }),
  /** Managers: every supplier of the venue, by name. */
  'suppliers.listSuppliers': defineAction({
    kind: 'read',
    auth: 'session',
    role: 'manager',
    request: Type.Object({}, { additionalProperties: false }),
    reply: Type.Object({ items: Type.Array(Supplier) }),
  }),
  /**
   * Managers: remembers which product a supplier's item is, by its item code
   * (supplierItemCode) or, for lines without one, its GTIN (exactly one of
   * the two), with the pack conversion; mapping it again replaces it. The
   * next invoice from that supplier maps itself.
   */
  'suppliers.mapSupplierItem': defineAction({
    kind: 'write',
    auth: 'session',
    role: 'manager',
    request: Type.Object(
      {
        supplierId: Uuid,
        supplierItemCode: Type.Optional(Text(60)),
        gtin: Type.Optional(Type.String({ pattern: '^[0-9]{8,14}$' })),
        productId: Uuid,
        stockUnitsPerItem: Type.Number({ minimum: 0.001, maximum: 100_000 }),
      },
      { additionalProperties: false },
    ),
    reply: SupplierItemMapping,
  }),
};
