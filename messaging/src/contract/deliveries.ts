import { Type } from '@sinclair/typebox';
import { defineAction } from './define.js';
import { Instant, Text, Timestamp, Uuid, pageOf, pageRequest } from './common.js';

/** A calendar date as printed on an invoice, in the years 2000 to 2100. */
export const DATE_PATTERN = '^(?:20\\d{2}|2100)-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\\d|3[01])$';
export const CalendarDate = Type.String({ format: 'date', pattern: DATE_PATTERN });

export const DeliveryKind = Type.Union([Type.Literal('invoice'), Type.Literal('creditNote')]);

/**
 * A quantity a person entered in stock units: at most 3 decimal places
 * (checked by the worker, which names the field: a JSON Schema multipleOf of
 * 0.001 is a floating-point test that refuses 0.3).
 */
// From 0.001, the least numeric(12, 3) keeps above zero: 1e-300 would round to 0.000 and fail its check.
export const EnteredQuantity = Type.Number({ minimum: 0.001, maximum: 100_000 });

export const DeliveryLineInput = Type.Object(
  {
    productId: Uuid,
    quantity: EnteredQuantity,
    unitCostCents: Type.Integer({ minimum: 0, maximum: 10_000_000 }),
    vatRateBp: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000 })),
  },
  { additionalProperties: false },
);

/** Amounts are signed: a credit note's are negative. quantity is as entered (positive); kind says which way stock moved. */
export const DeliveryLine = Type.Object({
  id: Uuid,
  productId: Uuid,
  quantity: Type.Number(),
  unitCostCents: Type.Integer(),
  vatRateBp: Type.Integer(),
  netCents: Type.Integer(),
  vatCents: Type.Integer(),
});

export const Delivery = Type.Object({
  id: Uuid,
  supplierId: Uuid,
  invoiceNumber: Type.String(),
  invoiceDate: Type.String({ format: 'date' }),
  kind: DeliveryKind,
  lines: Type.Array(DeliveryLine),
  netCents: Type.Integer(),
  vatCents: Type.Integer(),
  grossCents: Type.Integer(),
  recordedAt: Timestamp,
  recordedBy: Type.Object({ id: Uuid, name: Type.String() }),
});

export const deliveriesActions = {
  /**
   * Managers: an invoice puts its lines' stock in when recorded, a credit note
   * takes it out (negative amounts). Per line netCents = round(quantity ×
   * unitCostCents), vatCents = round(netCents × vatRateBp / 10000), half up;
   * vatRateBp defaults to the product's VAT class's rate on the invoice date.
   * An invoice line's cost becomes the product's unitCostCents.
   */
  'deliveries.recordDelivery': defineAction({
    kind: 'write',
    auth: 'session',
    role: 'manager',
    request: Type.Object(
      {
        supplierId: Uuid,
        invoiceNumber: Text(60),
        invoiceDate: CalendarDate,
        kind: Type.Optional(DeliveryKind),
        lines: Type.Array(DeliveryLineInput, { minItems: 1, maxItems: 200 }),
      },
      { additionalProperties: false },
    ),
    reply: Delivery,
  }),
  /** Managers: deliveries recorded in [from, to), newest first, a page at a time. */
  'deliveries.listDeliveries': defineAction({
    kind: 'read',
    auth: 'session',
    role: 'manager',
    request: Type.Object({ from: Type.Optional(Instant), to: Type.Optional(Instant), ...pageRequest }, { additionalProperties: false }),
    reply: pageOf(Delivery),
  }),
  'deliveries.getDelivery': defineAction({
    kind: 'read',
    auth: 'session',
    role: 'manager',
    request: Type.Object({ id: Uuid }, { additionalProperties: false }),
    reply: Delivery,
  }),
};
