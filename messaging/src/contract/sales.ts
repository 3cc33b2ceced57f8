import { Type } from '@sinclair/typebox';
import { defineAction } from './define.js';
import { Instant, Nullable, PaymentMethod, Payments, Quantity, Reason, Text, Timestamp, Uuid, lineFields, pageOf, pageRequest } from './common.js';
import { CalendarDate } from './deliveries.js';

export const SaleLine = Type.Object({
  ...lineFields,
  vatRateBp: Type.Integer(),
  vatCents: Type.Integer(),
  netCents: Type.Integer(),
  refunded: Type.Boolean(),
  /** The product's and the serving's names in the catalogue (the description is the line as it was sold). */
  productName: Type.String(),
  servingName: Type.String(),
});

/** A line taken off the tab before it was paid: not part of the sale, shown beside it. */
export const VoidedLine = Type.Object({
  lineId: Uuid,
  description: Type.String(),
  quantity: Type.Integer(),
  grossCents: Type.Integer(),
  voidedAt: Timestamp,
  voidedBy: Nullable(Type.Object({ id: Uuid, name: Type.String() })),
  reason: Nullable(Type.String()),
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
  /** How the money went back: the drawer's expected cash counts cash refunds only. */
  method: PaymentMethod,
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
  /** The lines voided off the tab before it was paid, in the order they were rung up. */
  voids: Type.Array(VoidedLine),
  ...Amounts,
});

/** The [from, to) a listing covered, and the business days it was asked for by (null when asked by instants). */
export const SalesPeriod = Type.Object({
  from: Timestamp,
  to: Timestamp,
  fromDay: Nullable(Type.String({ format: 'date' })),
  toDay: Nullable(Type.String({ format: 'date' })),
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
  /**
   * Sales closed in [from, to) (without them, the last 24 hours), newest first, a page at a time (nextCursor).
   * Or by business days, as the venue's calendar has them (its time zone, its day starting at businessDayStartHour):
   * fromDay to toDay inclusive (either alone: that one day), or currentDay for the day under way.
   */
  'sales.listSales': defineAction({
    kind: 'read',
    auth: 'session',
    request: Type.Object(
      {
        from: Type.Optional(Instant),
        to: Type.Optional(Instant),
        fromDay: Type.Optional(CalendarDate),
        toDay: Type.Optional(CalendarDate),
        currentDay: Type.Optional(Type.Boolean({ description: 'The business day under way now; not with the other filters.' })),
        ...pageRequest,
      },
      { additionalProperties: false },
    ),
    reply: Type.Object({ ...pageOf(Sale).properties, period: SalesPeriod }),
  }),
  'sales.getSale': defineAction({
    kind: 'read',
    auth: 'session',
    request: Type.Object({ id: Uuid }, { additionalProperties: false }),
    reply: Sale,
  }),
  /**
   * No lineIds: the whole sale (what is left of it). method: how the money
   * goes back; without it, the sale's payment method when it was paid one
   * way, and required (400 naming method) when it was split.
   */
  'sales.refundSale': defineAction({
    kind: 'write',
    auth: 'session',
    role: 'manager',
    request: Type.Object(
      {
        saleId: Uuid,
        reason: Reason,
        lineIds: Type.Optional(Type.Array(Uuid, { minItems: 1, maxItems: 50 })),
        method: Type.Optional(PaymentMethod),
      },
      { additionalProperties: false },
    ),
    reply: Refund,
  }),
};
