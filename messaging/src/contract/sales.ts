import { Type } from '@sinclair/typebox';
import { defineAction } from './define.js';
import { Instant, PaymentMethod, Payments, Quantity, Reason, Text, Timestamp, Uuid, lineFields, pageOf, pageRequest } from './common.js';

export const SaleLine = Type.Object({
  ...lineFields,
  vatRateBp: Type.Integer(),
  vatCents: Type.Integer(),
  netCents: Type.Integer(),
  refunded: Type.Boolean(),
});

export const Payment = Type.Object({ id: Uuid, method: PaymentMethod, amountCents: Type.Integer() });

export const Amounts = {
  grossCents: Type.Integer(),
  vatCents: Type.Integer(),
  netCents: Type.Integer(),
};

export const RefundLine = Type.Object({ lineId: Uuid, quantity: Type.Integer(), ...Amounts });

export const Refund = Type.Object({
  id: Uuid,
  saleId: Uuid,
  reason: Type.String(),
  refundedAt: Timestamp,
  refundedBy: Type.Object({ id: Uuid, name: Type.String() }),
  lines: Type.Array(RefundLine),
  ...Amounts,
});

export const Sale = Type.Object({
  id: Uuid,
  name: Type.String(),
  openedAt: Timestamp,
  closedAt: Timestamp,
  closedBy: Type.Object({ id: Uuid, name: Type.String() }),
  lines: Type.Array(SaleLine),
  payments: Type.Array(Payment),
  refunds: Type.Array(Refund),
  ...Amounts,
});

export const salesActions = {
  /** A quick sale: a tab opened and closed in one action. */
  'sales.recordSale': defineAction({
    kind: 'write',
    auth: 'session',
    request: Type.Object(
      {
        lines: Type.Array(Type.Object({ servingId: Uuid, quantity: Quantity }, { additionalProperties: false }), {
          minItems: 1,
          maxItems: 50,
        }),
        payments: Payments,
        name: Type.Optional(Text(60)),
      },
      { additionalProperties: false },
    ),
    reply: Sale,
  }),
  /** Sales closed in [from, to) (without them, the last 24 hours), newest first, a page at a time (nextCursor). */
  'sales.listSales': defineAction({
    kind: 'read',
    auth: 'session',
    request: Type.Object(
      { from: Type.Optional(Instant), to: Type.Optional(Instant), ...pageRequest },
      { additionalProperties: false },
    ),
    reply: pageOf(Sale),
  }),
  'sales.getSale': defineAction({
    kind: 'read',
    auth: 'session',
    request: Type.Object({ id: Uuid }, { additionalProperties: false }),
    reply: Sale,
  }),
  /** No lineIds: the whole sale (what is left of it). */
  'sales.refundSale': defineAction({
    kind: 'write',
    auth: 'session',
    role: 'manager',
    request: Type.Object(
      { saleId: Uuid, reason: Reason, lineIds: Type.Optional(Type.Array(Uuid, { minItems: 1, maxItems: 50 })) },
      { additionalProperties: false },
    ),
    reply: Refund,
  }),
};
