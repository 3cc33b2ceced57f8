/**
 * The VAT3 and RTD rules (back-end/src/domain/vat-return.ts) on sums given
 * by hand: periods and their days, exactly one way to name a range, ROS's
 * whole-euro rounding (half up, T3/T4 from the rounded boxes), refunds and
 * credit notes netted by rate, and a year's RTD against its six periods.
 */
import { describe, expect, it } from '@jest/globals';
import {
  buildTradingDetails,
  buildVatReturn,
  periodRange,
  requestedRange,
  roundEuro,
  type RateSums,
} from '../../../back-end/src/domain/vat-return.js';

const sums = (month: string, vatRateBp: number, s: Partial<Omit<RateSums, 'month' | 'vatRateBp'>>): RateSums => ({
  month,
  vatRateBp,
  salesNetCents: 0,
  salesVatCents: 0,
  refundsNetCents: 0,
  refundsVatCents: 0,
  purchasesNetCents: 0,
  purchasesVatCents: 0,
  creditsNetCents: 0,
  creditsVatCents: 0,
  ...s,
});

describe('periods', () => {
  it('runs a two-month period from the first of its odd month to the last day of the next, leap years included', () => {
    expect(periodRange('2026-11')).toEqual({ from: '2026-11-01', to: '2026-12-31' });
    expect(periodRange('2028-01')).toEqual({ from: '2028-01-01', to: '2028-02-29' });
    expect(periodRange('2026-01')).toEqual({ from: '2026-01-01', to: '2026-02-28' });
    expect(periodRange('2026-05')).toEqual({ from: '2026-05-01', to: '2026-06-30' });
  });
});

describe('requestedRange', () => {
  const refused = (input: Parameters<typeof requestedRange>[0]) => {
    try {
      requestedRange(input);
    } catch (err) {
      const e = err as { statusCode: number; field: string; message: string };
      return { statusCode: e.statusCode, field: e.field, message: e.message };
    }
    throw new Error('expected a refusal');
  };

  it('takes a period, or from and to inclusive up to 366 days', () => {
    expect(requestedRange({ period: '2026-07' })).toEqual({ from: '2026-07-01', to: '2026-08-31' });
    expect(requestedRange({ from: '2026-01-01', to: '2026-06-30' })).toEqual({ from: '2026-01-01', to: '2026-06-30' });
    expect(requestedRange({ from: '2028-01-01', to: '2028-12-31' })).toEqual({ from: '2028-01-01', to: '2028-12-31' });
    expect(requestedRange({ from: '2026-03-17', to: '2026-03-17' })).toEqual({ from: '2026-03-17', to: '2026-03-17' });
  });

  it('refuses anything else with a 400 naming the field', () => {
    expect(refused({})).toMatchObject({ statusCode: 400, field: 'period' });
    expect(refused({ period: '2026-07', from: '2026-07-01' })).toMatchObject({ statusCode: 400, field: 'from' });
    expect(refused({ period: '2026-07', to: '2026-07-01' })).toMatchObject({ statusCode: 400, field: 'to' });
    expect(refused({ from: '2026-07-01' })).toMatchObject({ statusCode: 400, field: 'to' });
    expect(refused({ to: '2026-07-01' })).toMatchObject({ statusCode: 400, field: 'from' });
    expect(refused({ from: '2026-07-02', to: '2026-07-01' })).toMatchObject({ statusCode: 400, field: 'to', message: 'to must not be before from.' });
    // 2026-01-01 to 2027-01-02 is 367 days.
    expect(refused({ from: '2026-01-01', to: '2027-01-02' })).toMatchObject({ statusCode: 400, field: 'to' });
  });
});

describe('roundEuro', () => {
  it('rounds half up to the whole euro', () => {
    expect([0, 49, 50, 149, 150, 12_349, 12_350, 99_999].map(roundEuro)).toEqual([0, 0, 1, 1, 2, 123, 124, 1000]);
    // Half up is towards +∞ for a negative figure too: −1.50 → −1, −1.51 → −2.
    expect([-150, -151, -49].map(roundEuro)).toEqual([-1, -2, 0]);
  });
});

describe('buildVatReturn', () => {
  const range = { from: '2026-05-01', to: '2026-06-30' };

  it('nets refunds and credit notes by rate, highest rate first, and works T3 from the rounded boxes', () => {
    const r = buildVatReturn(
      range,
      [
        sums('2026-05', 2300, { salesNetCents: 100_000, salesVatCents: 23_000, refundsNetCents: -1000, refundsVatCents: -230, purchasesNetCents: 40_000, purchasesVatCents: 9_200 }),
        sums('2026-05', 1350, { salesNetCents: 10_000, salesVatCents: 1350, creditsNetCents: -2000, creditsVatCents: -270 }),
        sums('2026-06', 2300, { salesNetCents: 2000, salesVatCents: 460, purchasesNetCents: 100, purchasesVatCents: 23 }),
      ],
      2,
    );
    // T1 = 23000 − 230 + 1350 + 460 = 24580; T2 = 9200 − 270 + 23 = 8953.
    expect(r).toEqual({
      from: '2026-05-01',
      to: '2026-06-30',
      sales: [
        { vatRateBp: 2300, netCents: 101_000, vatCents: 23_230 },
        { vatRateBp: 1350, netCents: 10_000, vatCents: 1350 },
      ],
      purchases: [
        { vatRateBp: 2300, netCents: 40_100, vatCents: 9223 },
        { vatRateBp: 1350, netCents: -2000, vatCents: -270 },
      ],
      T1Cents: 24_580,
      T2Cents: 8953,
      T3Cents: 15_627,
      T4Cents: 0,
      E1Cents: 0,
      E2Cents: 0,
      ES1Cents: 0,
      ES2Cents: 0,
      PA1Cents: 0,
      // €245.80 → 246, €89.53 → 90; T3 = 246 − 90 = 156 (not €156.27 rounded: ROS checks T3 = T1 − T2).
      ros: { T1: 246, T2: 90, T3: 156, T4: 0, E1: 0, E2: 0, ES1: 0, ES2: 0, PA1: 0 },
      openTabsAtEnd: 2,
    });
  });

  it('repays when purchases carry more VAT, and rounds each box on its own', () => {
    const r = buildVatReturn(range, [sums('2026-05', 2300, { salesVatCents: 1050, purchasesVatCents: 2049 })], 0);
    // T1 €10.50 → 11, T2 €20.49 → 20: T4 = 9 from the rounded boxes, though 2049 − 1050 = 999 cents.
    expect(r).toMatchObject({ T1Cents: 1050, T2Cents: 2049, T3Cents: 0, T4Cents: 999, ros: { T1: 11, T2: 20, T3: 0, T4: 9 } });
  });

  it('answers zeros for a period with nothing, never anything else', () => {
    const r = buildVatReturn(range, [], 0);
    expect(r).toMatchObject({ sales: [], purchases: [], T1Cents: 0, T2Cents: 0, T3Cents: 0, T4Cents: 0, ros: { T1: 0, T2: 0, T3: 0, T4: 0 } });
  });

  it('keeps a rate whose sales were all refunded, at zero', () => {
    const r = buildVatReturn(range, [sums('2026-05', 900, { salesNetCents: 1000, salesVatCents: 90, refundsNetCents: -1000, refundsVatCents: -90 })], 0);
    expect(r.sales).toEqual([{ vatRateBp: 900, netCents: 0, vatCents: 0 }]);
  });
});

describe('buildTradingDetails', () => {
  it('adds the year by rate and gives each period the T1 and T2 its VAT3 would', () => {
    const rows = [
      sums('2026-01', 2300, { salesNetCents: 1000, salesVatCents: 230 }),
      sums('2026-02', 2300, { salesNetCents: 2000, salesVatCents: 460, purchasesNetCents: 500, purchasesVatCents: 115 }),
      sums('2026-06', 1350, { salesNetCents: 1000, salesVatCents: 135, refundsNetCents: -100, refundsVatCents: -14 }),
      sums('2026-07', 900, { salesNetCents: 1000, salesVatCents: 90 }),
      sums('2026-12', 2300, { creditsNetCents: -100, creditsVatCents: -23 }),
    ];
    const t = buildTradingDetails(2026, rows);
    expect(t).toEqual({
      year: 2026,
      from: '2026-01-01',
      to: '2026-12-31',
      sales: [
        { vatRateBp: 2300, netCents: 3000, vatCents: 690 },
        { vatRateBp: 1350, netCents: 900, vatCents: 121 },
        { vatRateBp: 900, netCents: 1000, vatCents: 90 },
      ],
      purchasesForResale: [{ vatRateBp: 2300, netCents: 400, vatCents: 92 }],
      salesVatCents: 901,
      purchasesVatCents: 92,
      periods: [
        { period: '2026-01', from: '2026-01-01', to: '2026-02-28', T1Cents: 690, T2Cents: 115 },
        { period: '2026-03', from: '2026-03-01', to: '2026-04-30', T1Cents: 0, T2Cents: 0 },
        { period: '2026-05', from: '2026-05-01', to: '2026-06-30', T1Cents: 121, T2Cents: 0 },
        { period: '2026-07', from: '2026-07-01', to: '2026-08-31', T1Cents: 90, T2Cents: 0 },
        { period: '2026-09', from: '2026-09-01', to: '2026-10-31', T1Cents: 0, T2Cents: 0 },
        { period: '2026-11', from: '2026-11-01', to: '2026-12-31', T1Cents: 0, T2Cents: -23 },
      ],
    });
    expect(t.periods.reduce((s, p) => s + p.T1Cents, 0)).toBe(t.salesVatCents);
  });
});
