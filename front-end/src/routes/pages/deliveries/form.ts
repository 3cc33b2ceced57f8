import { DATE_PATTERN, type RequestOf } from '@barback/messaging';
import { parseEuro } from '../../../services/format.js';
import type { FieldErrors } from '../../../services/forms.js';

/**
 * The delivery entry form (views/stock/delivery-form.eta) read into the
 * contract's shape. Money is typed in euro and sent in cents; quantities are
 * stock units with at most 3 decimals; a VAT rate is typed as a percentage
 * and sent in basis points. What a person mistypes is caught here, beside its
 * field; ranges, unknown products and a repeated invoice are the worker's.
 */

type DeliveryInput = Omit<RequestOf<'deliveries.recordDelivery'>, 'supplierId'>;
type LineInput = DeliveryInput['lines'][number];

export const LINE_FIELDS = ['productId', 'quantity', 'unitCost', 'vatRate'] as const;
const FORM_FIELDS = ['supplierId', 'newSupplier', 'invoiceNumber', 'invoiceDate', 'kind', 'rows'] as const;
/** The contract's limit on lines per delivery. */
export const MAX_ROWS = 200;
const MIN_ROWS = 3;

export const DELIVERY_KINDS = [
  { value: 'invoice', label: 'Invoice: stock comes in' },
  { value: 'creditNote', label: 'Credit note: stock goes back (a returned keg, ullage credited)' },
] as const;

/** Up to 6 whole digits and 3 decimals, with a point or a comma: "2", "0.5", "1,25". */
const QUANTITY = /^(\d{1,6})(?:[.,](\d{1,3}))?$/;
/** A percentage as printed on an invoice: "23", "13.5", "9 %". */
const PERCENT = /^(\d{1,3})(?:[.,](\d{1,2}))?\s*%?$/;

/** The posted fields this form knows, trimmed; line fields are found by their row. */
export function postedDeliveryValues(body: unknown): Record<string, string> {
  const source = (body ?? {}) as Record<string, unknown>;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(source)) {
    if (typeof v !== 'string') continue;
    const line = /^lines\.(\d{1,3})\.(\w+)$/.exec(k);
    const known = line
      ? Number(line[1]) < MAX_ROWS && (LINE_FIELDS as readonly string[]).includes(line[2] ?? '')
      : (FORM_FIELDS as readonly string[]).includes(k);
    if (known) out[k] = v.trim();
  }
  return out;
}

function lineUsed(values: Record<string, string>, row: number): boolean {
  return LINE_FIELDS.some((f) => values[`lines.${row}.${f}`]);
}

/** As many rows as the form had (`shown`), every filled one, at least three. */
export function rowCount(values: Record<string, string>, shown: number): number {
  let used = 0;
  for (let i = 0; i < MAX_ROWS; i += 1) if (lineUsed(values, i)) used = i + 1;
  const had = Number.isInteger(shown) ? shown : 0;
  return Math.min(MAX_ROWS, Math.max(MIN_ROWS, used, had));
}

/** "2.5" → 2.5, at most 3 decimals and more than zero; anything else → null. */
export function parseQuantity(text: string): number | null {
  const m = QUANTITY.exec(text);
  if (!m) return null;
  const n = Number(`${m[1]}.${m[2] ?? '0'}`);
  return n > 0 ? n : null;
}

/** "13.5" → 1350 basis points, from 0 to 100%; anything else → null. */
export function parseVatPercent(text: string): number | null {
  const m = PERCENT.exec(text);
  if (!m) return null;
  const bp = Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
  return bp <= 10_000 ? bp : null;
}

/** A real calendar date in the contract's range: "2026-02-30" is not one. */
function isCalendarDate(text: string): boolean {
  if (!new RegExp(DATE_PATTERN).test(text)) return false;
  const d = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === text;
}

export interface ParsedDelivery {
  /** What is sent to the worker; only when `errors` is empty. */
  input: DeliveryInput;
  /** The supplier chosen from the list, or the one whose name was typed; '' when it is to be created. */
  supplierId: string;
  /** A supplier to create first: the name typed, not already on the list. */
  newSupplier: string | null;
  errors: FieldErrors;
  /** rowOf[i]: the form row the API's lines[i] came from (blank rows are skipped). */
  rowOf: number[];
}

export function parseDeliveryForm(values: Record<string, string>, suppliers: ReadonlyArray<{ id: string; name: string }>): ParsedDelivery {
  const errors: FieldErrors = {};
  let supplierId = values.supplierId ?? '';
  const typed = values.newSupplier ?? '';
  let newSupplier: string | null = null;
  if (supplierId && !suppliers.some((s) => s.id === supplierId)) errors.supplierId = 'Choose a supplier from the list.';
  if (typed) {
    // A name already on the list is that supplier, not a second one (names are unique per venue).
    const known = suppliers.find((s) => s.name.toLocaleLowerCase('en-IE') === typed.toLocaleLowerCase('en-IE'));
    if (supplierId && supplierId !== known?.id) errors.newSupplier = 'Choose a supplier from the list or type a new one, not both.';
    else if (known) supplierId = known.id;
    else newSupplier = typed;
  } else if (!supplierId && !errors.supplierId) {
    errors.supplierId = 'Choose the supplier, or type a new supplier’s name below.';
  }

  const invoiceNumber = values.invoiceNumber ?? '';
  if (!invoiceNumber) errors.invoiceNumber = 'Enter the invoice number as printed on it, like INV-2041.';
  const invoiceDate = values.invoiceDate ?? '';
  if (!isCalendarDate(invoiceDate)) errors.invoiceDate = 'Enter the date on the invoice, like 2026-03-01.';
  const kind = values.kind || 'invoice';
  if (kind !== 'invoice' && kind !== 'creditNote') errors.kind = 'Choose invoice or credit note.';

  const lines: LineInput[] = [];
  const rowOf: number[] = [];
  for (let row = 0; row < MAX_ROWS; row += 1) {
    if (!lineUsed(values, row)) continue;
    const field = (f: string) => `lines.${row}.${f}`;
    const productId = values[field('productId')] ?? '';
    if (!productId) errors[field('productId')] = 'Choose the product.';
    const quantity = parseQuantity(values[field('quantity')] ?? '');
    if (quantity === null) errors[field('quantity')] = 'Enter how many stock units (kegs, bottles, cases), like 2 or 0.5, at most 3 decimals.';
    const unitCostCents = parseEuro(values[field('unitCost')] ?? '');
    if (unitCostCents === null) errors[field('unitCost')] = 'Enter the cost of one stock unit in euro before VAT, like 120.00.';
    const vatText = values[field('vatRate')] ?? '';
    const vatRateBp = vatText ? parseVatPercent(vatText) : null;
    if (vatText && vatRateBp === null) errors[field('vatRate')] = 'Enter the VAT rate as a percentage, like 23 or 13.5, or leave it blank.';
    lines.push({ productId, quantity: quantity ?? 0, unitCostCents: unitCostCents ?? 0, ...(vatRateBp !== null ? { vatRateBp } : {}) });
    rowOf.push(row);
  }
  if (lines.length === 0) errors['lines.0.productId'] = 'Add at least one line: the product, how many and the cost.';

  return {
    input: { invoiceNumber, invoiceDate, kind: kind as 'invoice' | 'creditNote', lines },
    supplierId,
    newSupplier,
    errors,
    rowOf,
  };
}

const API_LINE_FIELDS: Readonly<Record<string, (typeof LINE_FIELDS)[number]>> = {
  productId: 'productId',
  quantity: 'quantity',
  unitCostCents: 'unitCost',
  vatRateBp: 'vatRate',
};

/** Where a refusal about an API field shows on this form: lines.2.unitCostCents → that row's unit cost. */
export function deliveryFieldFor(apiField: string, rowOf: readonly number[]): string | null {
  const line = /^lines\.(\d+)\.(\w+)/.exec(apiField);
  if (line) {
    const row = rowOf[Number(line[1])] ?? 0;
    return `lines.${row}.${API_LINE_FIELDS[line[2] ?? ''] ?? 'productId'}`;
  }
  if (apiField.startsWith('lines')) return `lines.${rowOf[0] ?? 0}.productId`;
  // createSupplier's fields: the supplier typed on this form.
  if (['name', 'vatNumber', 'email', 'phone'].includes(apiField)) return 'newSupplier';
  return ['supplierId', 'invoiceNumber', 'invoiceDate', 'kind'].includes(apiField) ? apiField : null;
}
