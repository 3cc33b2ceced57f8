import { Type } from '@sinclair/typebox';
import { defineAction } from './define.js';
import { Instant, Nullable, Text, Timestamp, Uuid, pageOf, pageRequest } from './common.js';

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

/** The largest e-invoice importInvoice takes, in characters of its text (the worker also counts UTF-8 bytes: 2 MB). */
export const MAX_INVOICE_DOCUMENT = 2 * 1024 * 1024;

/**
 * An e-invoice's XML text: the characters XML 1.0 allows (tab, line feeds
 * and everything from U+0020 but surrogates halves, U+FFFE and U+FFFF), so a
 * NUL, which PostgreSQL refuses, is refused here with the field named.
 */
export const InvoiceDocument = Type.String({
  minLength: 1,
  maxLength: MAX_INVOICE_DOCUMENT,
  pattern: '^[\\t\\n\\r\\u0020-\\uD7FF\\uE000-\\uFFFD\\u{10000}-\\u{10FFFF}]*$',
  contentMediaType: 'application/xml',
});

const Cents = Type.Integer();

/** One line of an imported e-invoice, as the document states it, and what it maps to here. */
export const InvoiceDraftLine = Type.Object({
  /** 1, 2, …: the line's place in the document; confirmInvoice's overrides name lines by it. */
  position: Type.Integer({ minimum: 1 }),
  lineId: Type.String(),
  itemCode: Nullable(Type.String()),
  gtin: Nullable(Type.String()),
  name: Type.String(),
  /** The document's quantity (decimal text, exact) in unitCode (UN/ECE Rec 20: C62 one, CS case, KGM kg…). */
  quantity: Type.String(),
  unitCode: Type.String(),
  /** Net price per baseQuantity of unitCode, as the document states it (decimal text). */
  price: Type.String(),
  baseQuantity: Type.String(),
  lineNetCents: Cents,
  vatCategory: Type.String(),
  vatRateBp: Type.Integer(),
  /** The product a remembered mapping (by item code, else GTIN) gives; null: unmapped, never guessed. */
  mapping: Nullable(
    Type.Object({
      productId: Uuid,
      productName: Type.String(),
      stockUnitsPerItem: Type.Number(),
      by: Type.Union([Type.Literal('itemCode'), Type.Literal('gtin')]),
    }),
  ),
  /** quantity × stockUnitsPerItem, to 3 decimals; null while unmapped. */
  stockUnits: Nullable(Type.Number()),
  /** lineNet / stockUnits, half up: the cost per stock unit the delivery records; null while unmapped. */
  unitCostCents: Nullable(Cents),
  /** round(lineNet × rate), half up: the purchase VAT the delivery records for this line. */
  vatCents: Cents,
});

export const InvoiceCheck = Type.Object({
  /** BR-CO-10 (line nets add up), vatRate (VAT per rate vs cac:TaxTotal), classRate (line rate vs product's class), priceChange (>10%), unmapped. */
  code: Type.String(),
  ok: Type.Boolean(),
  message: Type.String(),
  position: Nullable(Type.Integer()),
});

export const InvoiceDraft = Type.Object({
  id: Uuid,
  status: Type.Union([Type.Literal('draft'), Type.Literal('confirmed')]),
  deliveryId: Nullable(Uuid),
  kind: DeliveryKind,
  invoiceNumber: Type.String(),
  invoiceDate: Type.String({ format: 'date' }),
  currency: Type.String(),
  /** Matched by VAT number, else by name; id null: proposed as new, created when the draft is confirmed. */
  supplier: Type.Object({
    id: Nullable(Uuid),
    name: Type.String(),
    vatNumber: Nullable(Type.String()),
    matchedBy: Nullable(Type.Union([Type.Literal('vatNumber'), Type.Literal('name')])),
  }),
  lines: Type.Array(InvoiceDraftLine),
  checks: Type.Array(InvoiceCheck),
  /** The document's own totals (cac:LegalMonetaryTotal, cac:TaxTotal), beside ours. */
  documentTotals: Type.Object({
    lineExtensionCents: Cents,
    taxExclusiveCents: Nullable(Cents),
    taxInclusiveCents: Nullable(Cents),
    payableCents: Nullable(Cents),
    taxCents: Nullable(Cents),
    vat: Type.Array(Type.Object({ category: Type.String(), rateBp: Type.Integer(), taxableCents: Cents, taxCents: Cents })),
  }),
  /** What confirming records: the sum of line nets, of per-line VAT, and both (positive; a credit note is recorded negative). */
  ourTotals: Type.Object({ netCents: Cents, vatCents: Cents, grossCents: Cents }),
  importedAt: Timestamp,
  importedBy: Type.Object({ id: Uuid, name: Type.String() }),
});

/** What a person changes about a line for this confirmation only: another product or pack size, or leaving it out. */
export const InvoiceLineOverride = Type.Object(
  {
    position: Type.Integer({ minimum: 1, maximum: 200 }),
    productId: Type.Optional(Uuid),
    stockUnitsPerItem: Type.Optional(Type.Number({ minimum: 0.001, maximum: 100_000 })),
    drop: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

export const invoiceActions = {
  /**
   * Managers: a UBL 2.1 Invoice or CreditNote (PEPPOL BIS Billing 3.0) read
   * into a draft; nothing is applied. A DTD or entity declaration, more than
   * 2 MB, not UBL, or a missing required field answers 400 naming it (the
   * field's XPath) and stores nothing; a document whose supplier and number
   * are already recorded answers 409.
   */
  'deliveries.importInvoice': defineAction({
    kind: 'write',
    auth: 'session',
    role: 'manager',
    request: Type.Object({ document: InvoiceDocument }, { additionalProperties: false }),
    reply: InvoiceDraft,
  }),
  /** Managers: an imported draft with its mappings and checks as they stand now; another venue's id answers 404. */
  'deliveries.getInvoiceDraft': defineAction({
    kind: 'read',
    auth: 'session',
    role: 'manager',
    request: Type.Object({ id: Uuid }, { additionalProperties: false }),
    reply: InvoiceDraft,
  }),
  /**
   * Managers: records the draft as recordDelivery would (stock, cost,
   * purchase VAT), creating a supplier proposed as new. Refused (400 naming
   * the lines) while a line is unmapped and not dropped; a second confirm,
   * or a number already recorded from the supplier, answers 409.
   */
  'deliveries.confirmInvoice': defineAction({
    kind: 'write',
    auth: 'session',
    role: 'manager',
    request: Type.Object(
      { draftId: Uuid, lines: Type.Optional(Type.Array(InvoiceLineOverride, { maxItems: 200 })) },
      { additionalProperties: false },
    ),
    reply: Delivery,
  }),
};

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
  ...invoiceActions,
};
