import { Type } from '@sinclair/typebox';
import { defineAction } from './define.js';
import { Nullable, Timestamp, Uuid } from './common.js';

export const PaymentMethod = Type.Union([Type.Literal('cash'), Type.Literal('card'), Type.Literal('other')]);
const PaymentInput = Type.Object(
  { method: PaymentMethod, amountCents: Type.Integer({ minimum: 1, maximum: 100_000_000 }) },
  { additionalProperties: false },
);
const Payments = Type.Array(PaymentInput, { minItems: 1, maxItems: 6 });
const Quantity = Type.Integer({ minimum: 1, maximum: 100 });
const Reason = Type.String({ minLength: 1, maxLength: 500, pattern: '\\S' });

/** What a line shows on a tab and on a sale alike. */
const lineFields = {
  id: Uuid,
  servingId: Uuid,
  productId: Uuid,
  description: Type.String(),
  quantity: Type.Integer(),
  unitPriceCents: Type.Integer(),
  grossCents: Type.Integer(),
};

export const TabLine = Type.Object({
  ...lineFields,
  addedAt: Timestamp,
  voided: Type.Boolean(),
  voidReason: Nullable(Type.String()),
});

export const Tab = Type.Object({
  id: Uuid,
  name: Type.String(),
  status: Type.Union([Type.Literal('open'), Type.Literal('closed')]),
  openedAt: Timestamp,
  openedBy: Type.Object({ id: Uuid, name: Type.String() }),
  lines: Type.Array(TabLine),
  /** Sum of the lines not voided. */
  grossCents: Type.Integer(),
});

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

export const tillActions = {
  'till.openTab': defineAction({
    kind: 'write',
    auth: 'session',
    request: Type.Object({ name: Type.String({ minLength: 1, maxLength: 60, pattern: '\\S' }) }, { additionalProperties: false }),
    reply: Tab,
  }),
  'till.addTabLine': defineAction({
    kind: 'write',
    auth: 'session',
    request: Type.Object({ tabId: Uuid, servingId: Uuid, quantity: Quantity }, { additionalProperties: false }),
    reply: Tab,
  }),
  'till.voidTabLine': defineAction({
    kind: 'write',
    auth: 'session',
    request: Type.Object({ tabId: Uuid, lineId: Uuid, reason: Reason }, { additionalProperties: false }),
    reply: Tab,
  }),
  'till.closeTab': defineAction({
    kind: 'write',
    auth: 'session',
    request: Type.Object({ tabId: Uuid, payments: Payments }, { additionalProperties: false }),
    reply: Sale,
  }),
  /** A quick sale: a tab opened and closed in one action. */
  'till.recordSale': defineAction({
    kind: 'write',
    auth: 'session',
    request: Type.Object(
      {
        lines: Type.Array(Type.Object({ servingId: Uuid, quantity: Quantity }, { additionalProperties: false }), {
          minItems: 1,
          maxItems: 50,
        }),
        payments: Payments,
        name: Type.Optional(Type.String({ minLength: 1, maxLength: 60 })),
      },
      { additionalProperties: false },
    ),
    reply: Sale,
  }),
  'till.listOpenTabs': defineAction({
    kind: 'read',
    auth: 'session',
    request: Type.Object({}, { additionalProperties: false }),
    reply: Type.Object({ items: Type.Array(Tab) }),
  }),
  'till.getTab': defineAction({
    kind: 'read',
    auth: 'session',
    request: Type.Object({ id: Uuid }, { additionalProperties: false }),
    reply: Tab,
  }),
  'sales.list': defineAction({
    kind: 'read',
    auth: 'session',
    request: Type.Object({ from: Type.Optional(Timestamp), to: Type.Optional(Timestamp) }, { additionalProperties: false }),
    reply: Type.Object({ items: Type.Array(Sale) }),
  }),
  'sales.get': defineAction({
    kind: 'read',
    auth: 'session',
    request: Type.Object({ id: Uuid }, { additionalProperties: false }),
    reply: Sale,
  }),
  /** No lineIds: the whole sale (what is left of it). */
  'sales.refund': defineAction({
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
