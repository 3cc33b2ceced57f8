/**
 * The cash-up and VAT reports' bench figure (bench/lib/reports.ts), its pure
 * part: each side's p50 and p90, big over small, the per-pair ratios' median
 * and middle half, the verdict on the two targets; and how the year's
 * days and sales are shared among the seeding connections.
 */
import { describe, expect, it } from '@jest/globals';
import { actionFigure, markdownReports, readPath, shareOut, splitEven } from '../../bench/lib/reports.js';

describe('an action figure', () => {
  it('compares the two venues pair by pair', () => {
    // Pairs: 22/20, 18/20, 40/40, 24/20 → ratios 1.1, 0.9, 1, 1.2.
    const f = actionFigure('vat.getVatReturn', { aMs: [20, 20, 40, 20], bMs: [22, 18, 40, 24] });
    expect(f).toEqual({
      action: 'vat.getVatReturn',
      pairs: 4,
      small: { p50Ms: 20, p90Ms: 40, maxMs: 40 },
      big: { p50Ms: 22, p90Ms: 40, maxMs: 40 },
      ratioP50: 1.1,
      pairRatio: { median: 1, p25: 0.9, p75: 1.1 },
      meetsP50: true,
      meetsGrowth: true,
    });
  });

  it('misses the growth target above 20% slower, and the latency target above 100 ms on either side', () => {
    const slower = actionFigure('shifts.getXReport', { aMs: [10, 10], bMs: [12.5, 12.5] });
    expect(slower.ratioP50).toBe(1.25);
    expect(slower.meetsGrowth).toBe(false);
    expect(slower.meetsP50).toBe(true);
    expect(actionFigure('shifts.closeShift', { aMs: [100, 100], bMs: [100, 100] }).meetsP50).toBe(true);
    expect(actionFigure('shifts.closeShift', { aMs: [101, 101], bMs: [90, 90] }).meetsP50).toBe(false);
  });

  it('says what it could not measure', () => {
    const f = actionFigure('vat.getTradingDetails', { aMs: [], bMs: [] });
    expect(f.small.p50Ms).toBeNull();
    expect(f.ratioP50).toBeNull();
    expect(f.pairRatio.median).toBeNull();
    expect(f.meetsP50).toBeNull();
    expect(f.meetsGrowth).toBeNull();
  });

  it('renders as a table row per action with the load average', () => {
    const md = markdownReports({
      year: 2025,
      smallSales: 10_000,
      bigSales: 150_000,
      bigRefunds: 1_500,
      dayTotalsRows: { small: 2_190, big: 2_200 },
      loadAvg1: { start: 4.5, end: 6 },
      actions: [actionFigure('shifts.getXReport', { aMs: [10, 10], bMs: [12.5, 12.5] }), actionFigure('vat.getTradingDetails', { aMs: [], bMs: [] })],
    });
    expect(md).toContain('150,000 sales (1,500 refunds) over 2025 against 10,000');
    expect(md).toContain("the year's VAT day-total rows 2,190 and 2,200; load average 4.5 before, 6 after");
    expect(md).toContain('| `shifts.getXReport` | 2 | 10.0 / 10.0 | 12.5 / 12.5 | 1.250 | 1.250 (1.250–1.250) | holds | misses |');
    expect(md).toContain('| `vat.getTradingDetails` | 0 | - / - | - / - | - | - (-–-) | not measured | not measured |');
  });
});

describe('sharing out the seeding', () => {
  it('cuts the days into neighbouring runs as even as can be, leaving none empty', () => {
    const days = Array.from({ length: 365 }, (_, i) => i);
    const runs = splitEven(days, 3);
    expect(runs.map((r) => r.length)).toEqual([122, 121, 122]);
    expect(runs.flat()).toEqual(days);
    expect(splitEven([1, 2], 3)).toEqual([[1], [2]]);
  });

  it('shares the sales into whole numbers that add up', () => {
    expect(shareOut(150_000, 9)).toEqual([16_667, 16_667, 16_667, 16_667, 16_667, 16_667, 16_666, 16_666, 16_666]);
    expect(shareOut(10_000, 9).reduce((a, b) => a + b, 0)).toBe(10_000);
    expect(shareOut(2, 3)).toEqual([1, 1, 0]);
  });

  it('asks for a whole two-month period and the calendar year seeded', () => {
    expect(readPath('vat.getVatReturn', 2025)).toBe('/api/v1/vat/return?period=2025-05');
    expect(readPath('vat.getTradingDetails', 2025)).toBe('/api/v1/vat/trading-details?year=2025');
    expect(readPath('shifts.getXReport', 2025)).toBe('/api/v1/shifts/current/x-report');
  });
});
