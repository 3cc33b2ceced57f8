import { describe, expect, it } from '@jest/globals';
import { lineAmounts, sumAmounts, vatFromGross } from '../../../back-end/src/domain/money.js';

describe('VAT from a VAT-inclusive gross', () => {
  it.each([
    // gross, rate bp, vat: worked by hand as round_half_up(gross × rate / (100 + rate))
    [610, 2300, 114], // €6.10 pint at 23%: 610 × 23 / 123 = 114.06
    [1230, 2300, 230], // exactly 230
    [500, 1350, 59], // food at 13.5% until 30 June 2026: 500 × 13.5 / 113.5 = 59.47
    [500, 900, 41], // same food at 9% from 1 July 2026: 500 × 9 / 109 = 41.28
    [109, 900, 9], // 9.0 exactly
    [218, 900, 18], // 18.0
    [1635, 900, 135], // 135.0
    [763, 900, 63], // 63.0
    [12, 900, 1], // 0.99 → 1
    [6, 900, 0], // 0.495 → 0
    [0, 2300, 0],
  ])('gross %i at %i bp → VAT %i', (gross, rate, vat) => {
    expect(vatFromGross(gross, rate)).toBe(vat);
  });

  it('rounds exact halves up', () => {
    // 123 × 23 / 123 = 23 exactly; 41 × 2300 / 12300 = 7.666…; find a true .5: gross 1 at 10000 bp → 0.5 → 1
    expect(vatFromGross(1, 10_000)).toBe(1);
    expect(vatFromGross(3, 10_000)).toBe(2); // 1.5 → 2
  });

  it('makes a refund the exact negative of its sale', () => {
    for (const gross of [610, 499, 1, 12345]) expect(vatFromGross(-gross, 2300)).toBe(-vatFromGross(gross, 2300));
  });

  it('sums lines, not totals', () => {
    const lines = [lineAmounts(610, 3, 2300), lineAmounts(500, 1, 900)];
    expect(lines[0]).toEqual({ grossCents: 1830, vatCents: 342, netCents: 1488 });
    expect(sumAmounts(lines)).toEqual({ grossCents: 2330, vatCents: 383, netCents: 1947 });
  });
});
