import { Type } from '@sinclair/typebox';
import { defineAction } from './define.js';
import { Instant, Nullable, Text, Timestamp, Uuid, pageOf, pageRequest } from './common.js';
import { EnteredQuantity } from './deliveries.js';

export const WASTAGE_REASONS = [
  'spillage',
  'line_cleaning',
  'breakage',
  'out_of_date',
  'complimentary',
  'staff_drink',
  'returned_by_customer',
  'other',
] as const;

export const WastageReason = Type.Union(WASTAGE_REASONS.map((r) => Type.Literal(r)));

export const Wastage = Type.Object({
  id: Uuid,
  productId: Uuid,
  /** In the product's stock units, exact from ml (a pint of a 50 l keg is 0.01136). */
  stockUnits: Type.Number(),
  /** round(stockUnits × the product's unitCostCents at the time), half up. */
  costCents: Type.Integer(),
  reason: WastageReason,
  note: Nullable(Type.String()),
  recordedAt: Timestamp,
  recordedBy: Type.Object({ id: Uuid, name: Type.String() }),
});

export const wastageActions = {
  /**
   * Anyone on shift (a spilled pint is recorded at the till): exactly one of
   * ml, units, or servingId with servings says how much; `other` needs a note.
   */
  'wastage.recordWastage': defineAction({
    kind: 'write',
    auth: 'session',
    request: Type.Object(
      {
        productId: Uuid,
        reason: WastageReason,
        note: Type.Optional(Text(500)),
        // From 0.1, the least numeric(10, 1) keeps above zero, as a serving's ml.
        ml: Type.Optional(Type.Number({ minimum: 0.1, maximum: 1_000_000 })),
        units: Type.Optional(EnteredQuantity),
        servingId: Type.Optional(Uuid),
        servings: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
      },
      { additionalProperties: false },
    ),
    reply: Wastage,
  }),
  /** Managers: wastage recorded in [from, to), of one reason or all, newest first, a page at a time. */
  'wastage.listWastage': defineAction({
    kind: 'read',
    auth: 'session',
    role: 'manager',
    request: Type.Object(
      { from: Type.Optional(Instant), to: Type.Optional(Instant), reason: Type.Optional(WastageReason), ...pageRequest },
      { additionalProperties: false },
    ),
    reply: pageOf(Wastage),
  }),
};
