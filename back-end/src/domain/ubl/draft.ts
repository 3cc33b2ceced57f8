import { Errors, withField } from '@barback/messaging';
import { decimalText, roundHalfUp, scaledDecimal } from './decimal.js';
import type { UblDocument, UblLine } from './invoice.js';

/** What a line maps to here, with what the checks need about the product. */
export interface LineMapping {
  productId: string;
  productName: string;
  /** Stock units per invoiced item, in thousandths (numeric(12, 3)). */
  stockUnitsPerItemThousandths: bigint;
  by: 'itemCode' | 'gtin';
  /** The product's VAT class's rate on the invoice date. */
  classRateBp: number;
  /** The cost per stock unit of its last invoice line, or null if never delivered. */
  lastUnitCostCents: number | null;
}

export interface DraftLine extends UblLine {
  mapping: LineMapping | null;
  stockUnitsThousandths: bigint | null;
  unitCostCents: number | null;
  vatCents: number;
}

export interface DraftCheck {
  code: 'BR-CO-10' | 'vatRate' | 'classRate' | 'priceChange' | 'unmapped' | 'negativeLine';
  ok: boolean;
  message: string;
  position: number | null;
}

function euro(cents: number): string {
  const sign = cents < 0 ? '−' : '';
  const abs = Math.abs(cents);
  return `${sign}€${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

function percent(bp: number): string {
  return `${decimalText(BigInt(bp), 2)}%`;
}

/**
 * quantity × stockUnitsPerItem in thousandths of a stock unit, half up: the
 * document's quantity (up to 6 places) times the pack size (up to 3).
 */
export function stockUnitsOf(quantity: string, perItemThousandths: bigint): bigint {
  const micro = scaledDecimal(quantity, 6) ?? 0n;
  return roundHalfUp(micro * perItemThousandths, 1_000_000n);
}

/** The cost of one stock unit from the line's net, half up; null when there are no stock units to share it. */
export function unitCostOf(lineNetCents: number, stockThousandths: bigint): number | null {
  if (stockThousandths <= 0n || lineNetCents < 0) return null;
  return Number(roundHalfUp(BigInt(lineNetCents) * 1000n, stockThousandths));
}

/** round(net × rate), half up, per line: what recordDelivery records as a line's VAT. */
export function lineVatCents(lineNetCents: number, rateBp: number): number {
  return Number(roundHalfUp(BigInt(lineNetCents) * BigInt(rateBp), 10_000n));
}

export function draftLines(doc: UblDocument, mappings: ReadonlyMap<number, LineMapping>): DraftLine[] {
  return doc.lines.map((line) => {
    const mapping = mappings.get(line.position) ?? null;
    const stock = mapping ? stockUnitsOf(line.quantity, mapping.stockUnitsPerItemThousandths) : null;
    return {
      ...line,
      mapping,
      stockUnitsThousandths: stock,
      unitCostCents: stock === null ? null : unitCostOf(line.lineNetCents, stock),
      vatCents: lineVatCents(line.lineNetCents, line.vatRateBp),
    };
  });
}

/**
 * What a person should look at before confirming, each shown on the draft:
 * BR-CO-10 (the line nets add up to the document's total), the VAT of each
 * rate against cac:TaxTotal (BR-CO-17: taxable × rate, rounded), a line's
 * rate against its product's class rate on the invoice date, a cost per
 * stock unit more than 10% from the last delivery's, and unmapped lines.
 */
export function draftChecks(doc: UblDocument, lines: readonly DraftLine[]): DraftCheck[] {
  const checks: DraftCheck[] = [];
  const sum = lines.reduce((t, l) => t + l.lineNetCents, 0);
  const stated = doc.totals.lineExtensionCents;
  checks.push({
    code: 'BR-CO-10',
    ok: sum === stated,
    message:
      sum === stated
        ? `The line net amounts add up to the document's total, ${euro(stated)}.`
        : `The line net amounts add up to ${euro(sum)} but the document's total (LineExtensionAmount) is ${euro(stated)}: a difference of ${euro(sum - stated)}.`,
    position: null,
  });

  const rates = new Map<string, { category: string; rateBp: number; taxable: number }>();
  for (const l of lines) {
    const key = `${l.vatCategory}:${l.vatRateBp}`;
    const at = rates.get(key) ?? { category: l.vatCategory, rateBp: l.vatRateBp, taxable: 0 };
    at.taxable += l.lineNetCents;
    rates.set(key, at);
  }
  for (const { category, rateBp, taxable } of rates.values()) {
    const tax = lineVatCents(taxable, rateBp);
    const subtotal = doc.totals.vat.find((s) => s.category === category && s.rateBp === rateBp);
    const label = `VAT ${category} at ${percent(rateBp)}`;
    let message: string;
    let ok = false;
    if (!subtotal) message = `${label}: the lines charge ${euro(tax)} on ${euro(taxable)}, but the document's TaxTotal has no subtotal for this rate.`;
    else if (subtotal.taxableCents !== taxable || subtotal.taxCents !== tax) {
      message = `${label}: the document states ${euro(subtotal.taxCents)} on ${euro(subtotal.taxableCents)}; its lines give ${euro(tax)} on ${euro(taxable)}.`;
    } else {
      ok = true;
      message = `${label}: ${euro(tax)} on ${euro(taxable)}, as the document states.`;
    }
    checks.push({ code: 'vatRate', ok, message, position: null });
  }
  for (const s of doc.totals.vat) {
    if (!rates.has(`${s.category}:${s.rateBp}`)) {
      checks.push({
        code: 'vatRate',
        ok: false,
        message: `The document's TaxTotal states ${euro(s.taxCents)} of VAT ${s.category} at ${percent(s.rateBp)}, but no line is at that rate.`,
        position: null,
      });
    }
  }

  for (const l of lines) {
    if (l.lineNetCents < 0 || l.quantity.startsWith('-')) {
      checks.push({
        code: 'negativeLine',
        ok: false,
        message: `Line ${l.position} (${l.name}) is negative (a discount or a returned item); leave it out to confirm, and record a return as a credit note.`,
        position: l.position,
      });
    }
    if (!l.mapping) {
      checks.push({
        code: 'unmapped',
        ok: false,
        message: `Line ${l.position} (${l.name}) is not mapped to a product: choose one, or leave the line out.`,
        position: l.position,
      });
      continue;
    }
    if (l.mapping.classRateBp !== l.vatRateBp) {
      checks.push({
        code: 'classRate',
        ok: false,
        message: `Line ${l.position} (${l.name}) charges VAT at ${percent(l.vatRateBp)}, but ${l.mapping.productName}'s VAT class is at ${percent(l.mapping.classRateBp)} on ${doc.issueDate}.`,
        position: l.position,
      });
    }
    const last = l.mapping.lastUnitCostCents;
    if (last !== null && l.unitCostCents !== null && last > 0 && Math.abs(l.unitCostCents - last) * 10 > last) {
      const change = Math.round(((l.unitCostCents - last) * 1000) / last) / 10;
      checks.push({
        code: 'priceChange',
        ok: false,
        message: `Line ${l.position} (${l.name}): ${euro(l.unitCostCents)} per stock unit is ${change > 0 ? '+' : ''}${change}% on the last delivery's ${euro(last)}.`,
        position: l.position,
      });
    }
  }
  return checks;
}

/** A person's change to one line for this confirmation. */
export interface LineOverride {
  position: number;
  productId?: string | undefined;
  stockUnitsPerItem?: number | undefined;
  drop?: boolean | undefined;
}

/** A line ready for the delivery: stock units in thousandths, its cost per stock unit, the document's net and rate. */
export interface DeliveryLineFromInvoice {
  position: number;
  productId: string;
  quantityThousandths: bigint;
  unitCostCents: number;
  vatRateBp: number;
  netCents: number;
}

/** A pack size a person typed, in thousandths: more than 0, at most 3 decimals (checked on the decimal, not the float). */
export function perItemThousandths(value: number, field: string): bigint {
  const scaled = scaledDecimal(String(value), 3);
  if (scaled === null || scaled <= 0n) throw withField(new Errors.validation(`${field} must be more than 0 with at most 3 decimal places.`), field);
  return scaled;
}

/**
 * The lines confirming records, with the overrides applied. Refuses (400
 * naming the lines) while any line kept is unmapped or cannot be delivered
 * (negative, or zero stock units); an override for a line the document does
 * not have is refused too. productOf resolves an override's product.
 */
export function linesToDeliver(
  lines: readonly DraftLine[],
  overrides: readonly LineOverride[],
): { lines: DeliveryLineFromInvoice[]; overriddenProducts: string[] } {
  const byPosition = new Map<number, LineOverride>();
  overrides.forEach((o, i) => {
    if (!lines.some((l) => l.position === o.position)) {
      throw withField(new Errors.validation(`lines.${i}.position: the document has no line ${o.position}.`), `lines.${i}.position`);
    }
    if (byPosition.has(o.position)) throw withField(new Errors.validation(`Line ${o.position} is overridden twice.`), `lines.${i}.position`);
    byPosition.set(o.position, o);
  });

  const out: DeliveryLineFromInvoice[] = [];
  const unmapped: number[] = [];
  const undeliverable: number[] = [];
  for (const line of lines) {
    const o = byPosition.get(line.position);
    if (o?.drop) continue;
    const productId = o?.productId ?? line.mapping?.productId;
    const index = overrides.indexOf(o as LineOverride);
    const perItem =
      o?.stockUnitsPerItem !== undefined
        ? perItemThousandths(o.stockUnitsPerItem, `lines.${index}.stockUnitsPerItem`)
        : (line.mapping?.stockUnitsPerItemThousandths ?? (o?.productId ? 1000n : null));
    if (!productId || perItem === null) {
      unmapped.push(line.position);
      continue;
    }
    const stock = stockUnitsOf(line.quantity, perItem);
    const cost = unitCostOf(line.lineNetCents, stock);
    if (cost === null || stock <= 0n || line.lineNetCents < 0) {
      undeliverable.push(line.position);
      continue;
    }
    out.push({ position: line.position, productId, quantityThousandths: stock, unitCostCents: cost, vatRateBp: line.vatRateBp, netCents: line.lineNetCents });
  }
  if (unmapped.length > 0) {
    throw withField(
      new Errors.validation(`Line${unmapped.length > 1 ? 's' : ''} ${unmapped.join(', ')} ${unmapped.length > 1 ? 'are' : 'is'} not mapped to a product: map or leave out each before confirming.`),
      'lines',
    );
  }
  if (undeliverable.length > 0) {
    throw withField(
      new Errors.validation(`Line${undeliverable.length > 1 ? 's' : ''} ${undeliverable.join(', ')} cannot be delivered (negative or no stock units): leave ${undeliverable.length > 1 ? 'them' : 'it'} out.`),
      'lines',
    );
  }
  if (out.length === 0) throw withField(new Errors.validation('Every line is left out: nothing would be delivered.'), 'lines');
  return { lines: out, overriddenProducts: [...new Set(overrides.flatMap((o) => (o.productId && !o.drop ? [o.productId] : [])))] };
}
