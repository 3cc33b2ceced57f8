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
};
