/**
 * What the till's templates show, worked out from the replies: the order
 * panel's rows (lines combined per serving), the cash a customer might hand
 * over, the product buttons of a category and the open-tabs strip. Money is
 * formatted here, through services/format.ts, and nowhere in the templates.
 */
import type { ReplyOf } from '@barback/messaging';
import { formatEuro } from '../../../services/format.js';
import { CATEGORY_LABELS } from '../../../services/pages.js';
import type { QuickDraft } from './quick-sale.js';

export type Product = ReplyOf<'catalogue.getProduct'>;
export type Tab = ReplyOf<'till.getTab'>;
export type Sale = ReplyOf<'sales.getSale'>;

/** One row of the order panel: every line of one serving at one price, newest last. */
export interface LineRow {
  /** Stable across renders, so a focused + or − keeps its focus after an in-place update. */
  key: string;
  servingId: string;
  description: string;
  quantity: number;
  unitPrice: string;
  gross: string;
  /** The line a − removes: the newest not voided, and how many drinks it holds. */
  newestLineId: string;
  newestQuantity: number;
}

export interface VoidedRow {
  description: string;
  quantity: number;
  gross: string;
  reason: string;
}

/**
 * Lines combined per serving and price, in the order each was first rung up:
 * three pints are one row of 3 with a + and a −, not three rows. A price
 * changed in mid-tab starts a row of its own, so every row's unit price is true.
 */
export function combineLines(lines: Tab['lines']): { rows: LineRow[]; voided: VoidedRow[] } {
  const rows = new Map<string, LineRow>();
  const voided: VoidedRow[] = [];
  const cents = new Map<string, number>();
  for (const line of lines) {
    if (line.voided) {
      voided.push({ description: line.description, quantity: line.quantity, gross: formatEuro(line.grossCents), reason: line.voidReason ?? '' });
      continue;
    }
    const key = `${line.servingId}-${line.unitPriceCents}`;
    const row = rows.get(key);
    const gross = (cents.get(key) ?? 0) + line.grossCents;
    cents.set(key, gross);
    if (row) {
      row.quantity += line.quantity;
      row.gross = formatEuro(gross);
      row.newestLineId = line.id;
      row.newestQuantity = line.quantity;
    } else {
      rows.set(key, {
        key,
        servingId: line.servingId,
        description: line.description,
        quantity: line.quantity,
        unitPrice: formatEuro(line.unitPriceCents),
        gross: formatEuro(gross),
        newestLineId: line.id,
        newestQuantity: line.quantity,
      });
    }
  }
  return { rows: [...rows.values()], voided };
}

export interface ServingInfo {
  id: string;
  product: string;
  serving: string;
  priceCents: number;
}

/** Every serving the till sells now, by id. */
export function servingsById(products: Product[]): Map<string, ServingInfo> {
  const out = new Map<string, ServingInfo>();
  for (const p of products) for (const s of p.servings) out.set(s.id, { id: s.id, product: p.name, serving: s.name, priceCents: s.priceCents });
  return out;
}

export interface QuickRow {
  key: string;
  servingId: string;
  description: string;
  quantity: number;
  unitPrice: string;
  gross: string;
}

/** The quick sale's rows and total at today's prices (the worker prices the sale again when it is paid). */
export function quickRows(draft: QuickDraft | null, servings: Map<string, ServingInfo>): { rows: QuickRow[]; totalCents: number } {
  let totalCents = 0;
  const rows: QuickRow[] = [];
  for (const [servingId, quantity] of draft?.lines ?? []) {
    const s = servings.get(servingId);
    if (!s) continue;
    totalCents += s.priceCents * quantity;
    rows.push({
      key: servingId,
      servingId,
      description: `${s.product} (${s.serving})`,
      quantity,
      unitPrice: formatEuro(s.priceCents),
      gross: formatEuro(s.priceCents * quantity),
    });
  }
  return { rows, totalCents };
}

/** The notes a customer hands over for a total; exact cash is its own button. */
const NOTES = [500, 1000, 2000, 5000];

/** Each note bigger than the total, with the change it needs: "€10, change €5.50". */
export function tenderOptions(totalCents: number): { cents: number; label: string; change: string }[] {
  return NOTES.filter((n) => n > totalCents).map((n) => ({ cents: n, label: formatEuro(n), change: formatEuro(n - totalCents) }));
}

export interface Category {
  id: string;
  label: string;
  count: number;
  selected: boolean;
}

export interface ProductButton {
  servingId: string;
  product: string;
  serving: string;
  price: string;
  /** "Harbour Lager · Pint": what a test or a screen reader names the button by. */
  name: string;
}

/**
 * The categories that have something to sell, and the chosen one's buttons,
 * in the catalogue's order (by its place in the category, then name). An
 * unknown or empty category falls back to the first that has products.
 */
export function productGrid(products: Product[], wanted: string | undefined): { categories: Category[]; buttons: ProductButton[]; category: string | null } {
  const byCategory = new Map<string, ProductButton[]>();
  for (const p of products) {
    const buttons = byCategory.get(p.category) ?? [];
    for (const s of p.servings) {
      buttons.push({ servingId: s.id, product: p.name, serving: s.name, price: formatEuro(s.priceCents), name: `${p.name} · ${s.name}` });
    }
    byCategory.set(p.category, buttons);
  }
  const present = Object.keys(CATEGORY_LABELS).filter((c) => (byCategory.get(c)?.length ?? 0) > 0);
  const category = wanted && present.includes(wanted) ? wanted : (present[0] ?? null);
  return {
    categories: present.map((c) => ({ id: c, label: CATEGORY_LABELS[c] ?? c, count: byCategory.get(c)?.length ?? 0, selected: c === category })),
    buttons: category ? (byCategory.get(category) ?? []) : [],
    category,
  };
}

export interface StripTab {
  id: string;
  name: string;
  total: string;
  drinks: number;
  selected: boolean;
}

/** The open tabs as the strip shows them, oldest first, with a count of drinks. */
export function stripTabs(tabs: Tab[], selectedId: string | null): StripTab[] {
  return tabs.map((t) => ({
    id: t.id,
    name: t.name,
    total: formatEuro(t.grossCents),
    drinks: t.lines.filter((l) => !l.voided).reduce((n, l) => n + l.quantity, 0),
    selected: t.id === selectedId,
  }));
}

export interface PaidSummary {
  name: string;
  total: string;
  /** "by card", "in cash", "€10.00 cash, €2.20 card". */
  how: string;
  given: string | null;
  change: string | null;
}

/**
 * What the paid confirmation says. Only cash paid from a given amount has
 * change: the payment recorded is the amount due, never what was handed over.
 */
export function paidSummary(sale: Sale, tenderedCents: number | null): PaidSummary {
  const cash = sale.payments.filter((p) => p.method === 'cash').reduce((n, p) => n + p.amountCents, 0);
  const methods = new Set(sale.payments.map((p) => p.method));
  const how =
    methods.size > 1
      ? sale.payments.map((p) => `${formatEuro(p.amountCents)} ${p.method}`).join(', ')
      : methods.has('card')
        ? 'by card'
        : methods.has('cash')
          ? 'in cash'
          : 'other';
  const hasChange = tenderedCents !== null && cash > 0 && tenderedCents >= cash;
  return {
    name: sale.name,
    total: formatEuro(sale.grossCents),
    how,
    given: hasChange ? formatEuro(tenderedCents) : null,
    change: hasChange ? formatEuro(tenderedCents - cash) : null,
  };
}
