import type { FastifyRequest } from 'fastify';
import { newFormKey } from '../../../services/calls.js';

/**
 * A quick sale being rung up on this browser, kept in the session (the whole
 * session is one encrypted cookie, decision 14 in docs/architecture.md):
 * [servingId, quantity] pairs and the one idempotency key its payment is
 * recorded under, made when the draft starts, so that any number of taps on
 * Pay, at any spacing, records one sale.
 */
export interface QuickDraft {
  key: string;
  lines: [servingId: string, quantity: number][];
  /** The last tap added (its form key and serving): the same form posted twice adds one drink. */
  lastTap?: string;
}

declare module '@fastify/secure-session' {
  interface SessionData {
    quickSale: QuickDraft;
    /** The last quick sale paid on this browser: a Pay of it again shows it instead of ringing anything. */
    lastQuickSale: { key: string; saleId: string };
    /** The category the till showed last, so a reload or a plain form post comes back to it. */
    tillCategory: string;
  }
}

/**
 * Different drinks a quick sale holds. About 41 bytes a line before
 * encryption and base64: 30 lines keep the cookie near 2.5 KB, well inside
 * a browser's 4 KB, beside the login, CSRF secret and commit position. A
 * bigger order belongs on a tab.
 */
export const QUICK_SALE_MAX_LINES = 30;
/** The contract's Quantity maximum (messaging/src/contract/common.ts). */
const MAX_QUANTITY = 100;

export function quickDraft(request: FastifyRequest): QuickDraft | null {
  const draft = request.session.get('quickSale');
  return draft && draft.lines.length > 0 ? draft : null;
}

/**
 * One more of a serving. Returns a refusal to show, or null once added. A
 * repeat of the last tap (the same form posted twice) adds nothing.
 */
export function addToQuickSale(request: FastifyRequest, servingId: string, tapKey: string | undefined): string | null {
  const draft: QuickDraft = quickDraft(request) ?? { key: newFormKey(), lines: [] };
  const tap = tapKey ? `${tapKey}:${servingId}` : undefined;
  if (tap && draft.lastTap === tap) return null;
  const line = draft.lines.find(([id]) => id === servingId);
  if (line) {
    if (line[1] >= MAX_QUANTITY) return `A quick sale takes at most ${MAX_QUANTITY} of one drink.`;
    line[1] += 1;
  } else {
    if (draft.lines.length >= QUICK_SALE_MAX_LINES) {
      return `A quick sale holds up to ${QUICK_SALE_MAX_LINES} different drinks: open a tab for a bigger order.`;
    }
    draft.lines.push([servingId, 1]);
  }
  if (tap) draft.lastTap = tap;
  else delete draft.lastTap;
  request.session.set('quickSale', draft);
  return null;
}

/** One fewer of a serving: nothing is recorded until the sale is paid, so no reason is asked. */
export function removeFromQuickSale(request: FastifyRequest, servingId: string): void {
  const draft = quickDraft(request);
  if (!draft) return;
  draft.lines = draft.lines.flatMap(([id, quantity]): QuickDraft['lines'] => {
    if (id !== servingId) return [[id, quantity]];
    return quantity > 1 ? [[id, quantity - 1]] : [];
  });
  delete draft.lastTap;
  if (draft.lines.length) request.session.set('quickSale', draft);
  else request.session.set('quickSale', undefined);
}

/** Drops servings the catalogue no longer sells (retired or archived since they were tapped). */
export function keepSold(request: FastifyRequest, sold: (servingId: string) => boolean): boolean {
  const draft = quickDraft(request);
  if (!draft) return false;
  const kept = draft.lines.filter(([id]) => sold(id));
  if (kept.length === draft.lines.length) return false;
  if (kept.length) request.session.set('quickSale', { ...draft, lines: kept });
  else request.session.set('quickSale', undefined);
  return true;
}

export function clearQuickSale(request: FastifyRequest): void {
  request.session.set('quickSale', undefined);
}

/** The draft has been recorded as a sale: it is gone, and a repeated Pay of its key finds the sale. */
export function quickSalePaid(request: FastifyRequest, key: string, saleId: string): void {
  request.session.set('quickSale', undefined);
  request.session.set('lastQuickSale', { key, saleId });
}
