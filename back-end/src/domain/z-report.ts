/**
 * The figures of a shift, from its totals: the one function both the X
 * report (the open shift now) and the Z (the shift as it closed) come from,
 * so the two cannot drift. Pure: the totals are read by queries/shifts.ts.
 */

export type Method = 'cash' | 'card' | 'other';

/** The methods in the order a report lists them, each always present. */
export const METHODS: readonly Method[] = ['cash', 'card', 'other'];

export interface ShiftHeader {
  id: string;
  openedAt: Date;
  openedBy: { id: string; name: string };
  floatCents: number;
}

/** A shift's totals summed over their slots; refunds and voids positive. */
export interface ShiftTotals {
  salesCount: number;
  refundsCount: number;
  refundsGrossCents: number;
  voidsCount: number;
  voidsGrossCents: number;
  paidInCents: number;
  paidOutCents: number;
  rates: {
    vatRateBp: number;
    salesGrossCents: number;
    salesVatCents: number;
    salesNetCents: number;
    refundsGrossCents: number;
    refundsVatCents: number;
    refundsNetCents: number;
  }[];
  methods: { method: Method; salesCents: number; refundsCents: number }[];
}

export interface ShiftFigures {
  shiftId: string;
  openedAt: string;
  openedBy: { id: string; name: string };
  floatCents: number;
  salesCount: number;
  grossCents: number;
  vatCents: number;
  netCents: number;
  byRate: { vatRateBp: number; grossCents: number; vatCents: number; netCents: number }[];
  byMethod: { method: Method; salesCents: number; refundsCents: number; netCents: number }[];
  refunds: { count: number; grossCents: number };
  voids: { count: number; grossCents: number };
  paidInCents: number;
  paidOutCents: number;
  expectedCashCents: number;
}

/**
 * gross, VAT, net and byRate: the shift's sales less the refunds made in it
 * (what the VAT return counts, a refund in the period it is made);
 * expectedCash = float + cash sales − cash refunds + paid in − paid out.
 */
export function shiftFigures(shift: ShiftHeader, totals: ShiftTotals): ShiftFigures {
  const byRate = [...totals.rates]
    .sort((a, b) => b.vatRateBp - a.vatRateBp)
    .map((r) => ({
      vatRateBp: r.vatRateBp,
      grossCents: r.salesGrossCents - r.refundsGrossCents,
      vatCents: r.salesVatCents - r.refundsVatCents,
      netCents: r.salesNetCents - r.refundsNetCents,
    }));
  const byMethod = METHODS.map((method) => {
    const found = totals.methods.filter((m) => m.method === method);
    const salesCents = found.reduce((s, m) => s + m.salesCents, 0);
    const refundsCents = found.reduce((s, m) => s + m.refundsCents, 0);
    return { method, salesCents, refundsCents, netCents: salesCents - refundsCents };
  });
  const cash = byMethod[0] ?? { salesCents: 0, refundsCents: 0 };
  return {
    shiftId: shift.id,
    openedAt: shift.openedAt.toISOString(),
    openedBy: shift.openedBy,
    floatCents: shift.floatCents,
    salesCount: totals.salesCount,
    grossCents: byRate.reduce((s, r) => s + r.grossCents, 0),
    vatCents: byRate.reduce((s, r) => s + r.vatCents, 0),
    netCents: byRate.reduce((s, r) => s + r.netCents, 0),
    byRate,
    byMethod,
    refunds: { count: totals.refundsCount, grossCents: totals.refundsGrossCents },
    voids: { count: totals.voidsCount, grossCents: totals.voidsGrossCents },
    paidInCents: totals.paidInCents,
    paidOutCents: totals.paidOutCents,
    expectedCashCents: shift.floatCents + cash.salesCents - cash.refundsCents + totals.paidInCents - totals.paidOutCents,
  };
}

/** Whether a count this far from expected needs a note: strictly beyond the limit, either way. */
export function needsNote(overShortCents: number, limitCents: number): boolean {
  return Math.abs(overShortCents) > limitCents;
}

/** €12.34, -€0.50: for messages, as the pages write amounts. */
export { formatEuro as euro } from '@barback/messaging';
