import { Errors, withField } from '@barback/messaging';
import { scaledDecimal } from './decimal.js';
import { readUblXml, decodeReferences, type UblRoot, type XmlElement } from './xml.js';

/**
 * A UBL 2.1 Invoice or CreditNote (EN 16931 as PEPPOL BIS Billing 3.0
 * profiles it) read into what a delivery needs. Amounts are integer cents,
 * read exactly from the decimal text; quantities and prices stay decimal text
 * (normalised), since they may carry more places than cents do.
 */
export interface UblLine {
  /** 1, 2, …: the line's place in the document, which overrides and the draft page name it by. */
  position: number;
  /** cbc:ID: the supplier's own line number. */
  lineId: string;
  /** cac:Item/cac:SellersItemIdentification/cbc:ID */
  itemCode: string | null;
  /** cac:Item/cac:StandardItemIdentification/cbc:ID with schemeID 0160 */
  gtin: string | null;
  name: string;
  /** cbc:InvoicedQuantity (cbc:CreditedQuantity on a credit note), as a decimal text. */
  quantity: string;
  /** Its UN/ECE Recommendation 20 unit code (C62 one, CS case, KGM kilogram, LTR litre…). */
  unitCode: string;
  /** cac:Price/cbc:PriceAmount: the net price per baseQuantity of unitCode. */
  price: string;
  baseQuantity: string;
  lineNetCents: number;
  /** cac:ClassifiedTaxCategory/cbc:ID: S standard, Z zero, E exempt, AE reverse charge, O outside scope… */
  vatCategory: string;
  vatRateBp: number;
}

export interface UblVatSubtotal {
  category: string;
  rateBp: number;
  taxableCents: number;
  taxCents: number;
}

export interface UblDocument {
  kind: 'invoice' | 'creditNote';
  number: string;
  issueDate: string;
  currency: string;
  supplier: { name: string; vatNumber: string | null };
  lines: UblLine[];
  totals: {
    /** cac:LegalMonetaryTotal/cbc:LineExtensionAmount: the sum of line nets, as the document states it. */
    lineExtensionCents: number;
    taxExclusiveCents: number | null;
    taxInclusiveCents: number | null;
    payableCents: number | null;
    /** cac:TaxTotal/cbc:TaxAmount */
    taxCents: number | null;
    vat: UblVatSubtotal[];
  };
}

/** The most lines a delivery takes (deliveries.recordDelivery's contract). */
export const MAX_LINES = 200;

const DATE = /^(?:20\d{2}|2100)-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])$/;
// Controls and text-direction controls read as a space: names are shown on pages and stored (messaging's Text rule).
// eslint-disable-next-line no-control-regex
const INVISIBLE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]/g;

function missing(path: string, what = 'is missing'): never {
  throw withField(new Errors.validation(`${path} ${what}.`), path);
}

function children(element: XmlElement | undefined, name: string): XmlElement[] {
  const found = element?.[name];
  return Array.isArray(found) ? found : [];
}

function child(element: XmlElement | undefined, ...names: string[]): XmlElement | undefined {
  let at = element;
  for (const name of names) at = children(at, name)[0];
  return at;
}

function textOf(element: XmlElement | undefined): string | null {
  const raw = element?.['#text'];
  if (typeof raw !== 'string') return null;
  const text = decodeReferences(raw).replace(INVISIBLE, ' ').replace(/\s+/g, ' ').trim();
  return text === '' ? null : text;
}

function attribute(element: XmlElement | undefined, name: string): string | null {
  const value = element?.[`@${name}`];
  return typeof value === 'string' ? decodeReferences(value).trim() : null;
}

/** Prefixed paths as EN 16931 writes them, so a refusal names the field the way the supplier's software does. */
class Paths {
  constructor(readonly root: UblRoot) {}
  at(...steps: string[]): string {
    return `/${this.root}/${steps.join('/')}`;
  }
}

function requiredText(element: XmlElement | undefined, path: string, max: number): string {
  const text = textOf(element);
  if (text === null) missing(path);
  if (Array.from(text).length > max) missing(path, `is longer than ${max} characters`);
  return text;
}

function cents(element: XmlElement | undefined, path: string, required: true): number;
function cents(element: XmlElement | undefined, path: string, required: false): number | null;
function cents(element: XmlElement | undefined, path: string, required: boolean): number | null {
  const text = textOf(element);
  if (text === null) {
    if (required) missing(path);
    return null;
  }
  const value = scaledDecimal(text, 2);
  // EN 16931 (BR-DEC-*): document amounts have at most 2 decimals.
  if (value === null) missing(path, `must be an amount with at most 2 decimals, not "${text.slice(0, 30)}"`);
  return Number(value);
}

/** A decimal text normalised ("002.500" → "2.5"), up to 6 places. */
function decimal(element: XmlElement | undefined, path: string): string {
  const text = textOf(element);
  if (text === null) missing(path);
  const value = scaledDecimal(text, 6);
  if (value === null) missing(path, `must be a decimal number with at most 6 decimals, not "${text.slice(0, 30)}"`);
  const negative = value < 0n;
  const digits = (negative ? -value : value).toString().padStart(7, '0');
  const fraction = digits.slice(-6).replace(/0+$/, '');
  return `${negative ? '-' : ''}${digits.slice(0, -6)}${fraction ? `.${fraction}` : ''}`;
}

/** A VAT percent ("23", "13.5", "0") in basis points. */
function rateBp(element: XmlElement | undefined, path: string): number {
  const text = textOf(element);
  if (text === null) missing(path);
  const value = scaledDecimal(text, 2);
  if (value === null || value < 0n || value > 10_000n) missing(path, `must be a percentage from 0 to 100 with at most 2 decimals, not "${text.slice(0, 30)}"`);
  return Number(value);
}

function isCalendarDate(text: string): boolean {
  if (!DATE.test(text)) return false;
  return new Date(`${text}T00:00:00Z`).toISOString().slice(0, 10) === text;
}

function readLine(line: XmlElement, index: number, p: Paths, lineName: string, quantityName: string): UblLine {
  const at = (...steps: string[]) => p.at(`cac:${lineName}[${index + 1}]`, ...steps);
  const item = child(line, 'Item');
  if (!item) missing(at('cac:Item'));
  const quantityElement = child(line, quantityName);
  const quantity = decimal(quantityElement, at(`cbc:${quantityName}`));
  const unitCode = attribute(quantityElement, 'unitCode');
  if (!unitCode) missing(at(`cbc:${quantityName}/@unitCode`));
  const price = child(line, 'Price');
  const baseElement = child(price, 'BaseQuantity');
  const category = child(item, 'ClassifiedTaxCategory');
  const vatCategory = requiredText(child(category, 'ID'), at('cac:Item/cac:ClassifiedTaxCategory/cbc:ID'), 10);
  // "O" (not subject to VAT) carries no percent (BR-O-05); every other category states one, 0 included.
  const percentPath = at('cac:Item/cac:ClassifiedTaxCategory/cbc:Percent');
  const vatRate = vatCategory === 'O' && textOf(child(category, 'Percent')) === null ? 0 : rateBp(child(category, 'Percent'), percentPath);
  const gtinElement = children(item, 'StandardItemIdentification')
    .map((s) => child(s, 'ID'))
    .find((id) => attribute(id, 'schemeID') === '0160');
  const gtin = textOf(gtinElement);
  return {
    position: index + 1,
    lineId: requiredText(child(line, 'ID'), at('cbc:ID'), 60),
    itemCode: textOf(child(item, 'SellersItemIdentification', 'ID'))?.slice(0, 60) ?? null,
    gtin: gtin !== null && /^[0-9]{8,14}$/.test(gtin) ? gtin : null,
    name: requiredText(child(item, 'Name'), at('cac:Item/cbc:Name'), 200),
    quantity,
    unitCode: unitCode.slice(0, 10),
    price: decimal(child(price, 'PriceAmount'), at('cac:Price/cbc:PriceAmount')),
    baseQuantity: baseElement ? decimal(baseElement, at('cac:Price/cbc:BaseQuantity')) : '1',
    lineNetCents: cents(child(line, 'LineExtensionAmount'), at('cbc:LineExtensionAmount'), true),
    vatCategory,
    vatRateBp: vatRate,
  };
}

/** The document's text read into a UblDocument, or a 400 naming what is wrong (the XPath of a missing field). */
export function parseUblDocument(text: string): UblDocument {
  const { root, element } = readUblXml(text);
  const p = new Paths(root);
  const credit = root === 'CreditNote';
  const lineName = credit ? 'CreditNoteLine' : 'InvoiceLine';
  const quantityName = credit ? 'CreditedQuantity' : 'InvoicedQuantity';

  const number = requiredText(child(element, 'ID'), p.at('cbc:ID'), 60);
  const issueDate = requiredText(child(element, 'IssueDate'), p.at('cbc:IssueDate'), 10);
  if (!isCalendarDate(issueDate)) missing(p.at('cbc:IssueDate'), `must be a date from 2000 to 2100 like 2026-03-01, not "${issueDate}"`);
  const currency = requiredText(child(element, 'DocumentCurrencyCode'), p.at('cbc:DocumentCurrencyCode'), 3);
  if (currency !== 'EUR') missing(p.at('cbc:DocumentCurrencyCode'), `is ${currency}; only invoices in euro (EUR) can be imported`);

  const party = child(element, 'AccountingSupplierParty', 'Party');
  if (!party) missing(p.at('cac:AccountingSupplierParty/cac:Party'));
  const legalName = textOf(child(party, 'PartyLegalEntity', 'RegistrationName'));
  const tradingName = textOf(child(party, 'PartyName', 'Name'));
  const name = legalName ?? tradingName;
  if (name === null) missing(p.at('cac:AccountingSupplierParty/cac:Party/cac:PartyLegalEntity/cbc:RegistrationName'));
  // The VAT number is the PartyTaxScheme whose scheme is VAT (BIS: BT-31); a tax registration of another scheme is not it.
  const vatScheme = children(party, 'PartyTaxScheme').find((s) => (textOf(child(s, 'TaxScheme', 'ID')) ?? 'VAT') === 'VAT');
  const vatNumber = textOf(child(vatScheme, 'CompanyID'))?.replace(/\s+/g, '').toUpperCase().slice(0, 30) ?? null;

  const lineElements = children(element, lineName);
  if (lineElements.length === 0) missing(p.at(`cac:${lineName}`));
  if (lineElements.length > MAX_LINES) missing(p.at(`cac:${lineName}`), `appears ${lineElements.length} times; at most ${MAX_LINES} lines can be imported`);
  const lines = lineElements.map((line, i) => readLine(line, i, p, lineName, quantityName));

  const monetary = child(element, 'LegalMonetaryTotal');
  const m = (name: string) => p.at('cac:LegalMonetaryTotal', `cbc:${name}`);
  // A document may state tax in other currencies too (BT-111); the one in the document's currency is ours.
  const taxTotals = children(element, 'TaxTotal');
  const taxTotal = taxTotals.find((t) => attribute(child(t, 'TaxAmount'), 'currencyID') === currency) ?? taxTotals[0];
  const vat = children(taxTotal, 'TaxSubtotal').map((s, i) => {
    const at = (...steps: string[]) => p.at('cac:TaxTotal', `cac:TaxSubtotal[${i + 1}]`, ...steps);
    const category = requiredText(child(s, 'TaxCategory', 'ID'), at('cac:TaxCategory/cbc:ID'), 10);
    const percent = child(s, 'TaxCategory', 'Percent');
    return {
      category,
      rateBp: category === 'O' && textOf(percent) === null ? 0 : rateBp(percent, at('cac:TaxCategory/cbc:Percent')),
      taxableCents: cents(child(s, 'TaxableAmount'), at('cbc:TaxableAmount'), true),
      taxCents: cents(child(s, 'TaxAmount'), at('cbc:TaxAmount'), true),
    };
  });

  return {
    kind: credit ? 'creditNote' : 'invoice',
    number,
    issueDate,
    currency,
    supplier: { name: Array.from(name).slice(0, 120).join(''), vatNumber: vatNumber === '' ? null : vatNumber },
    lines,
    totals: {
      lineExtensionCents: cents(child(monetary, 'LineExtensionAmount'), m('LineExtensionAmount'), true),
      taxExclusiveCents: cents(child(monetary, 'TaxExclusiveAmount'), m('TaxExclusiveAmount'), false),
      taxInclusiveCents: cents(child(monetary, 'TaxInclusiveAmount'), m('TaxInclusiveAmount'), false),
      payableCents: cents(child(monetary, 'PayableAmount'), m('PayableAmount'), false),
      taxCents: cents(child(taxTotal, 'TaxAmount'), p.at('cac:TaxTotal/cbc:TaxAmount'), false),
      vat,
    },
  };
}
