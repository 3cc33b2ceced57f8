/**
 * The one function the X and the Z are worked out with (back-end/src/domain/z-report.ts):
 * sales less refunds by rate, each method always listed, expected cash from
 * cash alone, and the note rule strictly beyond the limit either way.
 */
import { describe, expect, it } from '@jest/globals';
import { needsNote, shiftFigures, type ShiftTotals } from '../../../back-end/src/domain/z-report.js';

const shift = { id: '0190a000-0000-7000-8000-000000000001', openedAt: new Date('2026-12-04T17:00:00Z'), openedBy: { id: 'x', name: 'Aoife' }, floatCents: 10_000 };
const none: ShiftTotals = { salesCount: 0, refundsCount: 0, refundsGrossCents: 0, voidsCount: 0, voidsGrossCents: 0, paidInCents: 0, paidOutCents: 0, rates: [], methods: [] };

describe('shiftFigures', () => {
  it('an empty shift: every method at 0, no rates, the float expected', () => {
    expect(shiftFigures(shift, none)).toMatchObject({
      grossCents: 0,
      byRate: [],
      byMethod: [
        { method: 'cash', salesCents: 0, refundsCents: 0, netCents: 0 },
        { method: 'card', salesCents: 0, refundsCents: 0, netCents: 0 },
        { method: 'other', salesCents: 0, refundsCents: 0, netCents: 0 },
      ],
      expectedCashCents: 10_000,
      openedAt: '2026-12-04T17:00:00.000Z',
    });
  });

  it('nets refunds by rate, highest rate first, sums slots of a method, and counts only cash in the drawer', () => {
    const f = shiftFigures(shift, {
      ...none,
      salesCount: 3,
      paidInCents: 500,
      paidOutCents: 2500,
      rates: [
        { vatRateBp: 900, salesGrossCents: 1300, salesVatCents: 108, salesNetCents: 1192, refundsGrossCents: 0, refundsVatCents: 0, refundsNetCents: 0 },
        { vatRateBp: 2300, salesGrossCents: 1980, salesVatCents: 370, salesNetCents: 1610, refundsGrossCents: 1420, refundsVatCents: 265, refundsNetCents: 1155 },
      ],
      methods: [
        { method: 'card', salesCents: 1160, refundsCents: 300 },
        { method: 'cash', salesCents: 2000, refundsCents: 1120 },
        { method: 'cash', salesCents: 120, refundsCents: 0 },
      ],
    });
    expect(f.byRate).toEqual([
      { vatRateBp: 2300, grossCents: 560, vatCents: 105, netCents: 455 },
      { vatRateBp: 900, grossCents: 1300, vatCents: 108, netCents: 1192 },
    ]);
    expect([f.grossCents, f.vatCents, f.netCents]).toEqual([1860, 213, 1647]);
    expect(f.byMethod[0]).toEqual({ method: 'cash', salesCents: 2120, refundsCents: 1120, netCents: 1000 });
    // 10000 + 2120 − 1120 + 500 − 2500.
    expect(f.expectedCashCents).toBe(9000);
  });
});

describe('needsNote', () => {
  it('is strictly beyond the limit, over or short', () => {
    expect([needsNote(500, 500), needsNote(-500, 500), needsNote(501, 500), needsNote(-501, 500), needsNote(1, 0), needsNote(0, 0)]).toEqual([false, false, true, true, true, false]);
  });
});
