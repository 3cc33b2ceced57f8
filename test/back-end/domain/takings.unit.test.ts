/** Takings by payment method (back-end/src/domain/takings.ts): a refund goes back the way its sale was paid. */
import { describe, expect, it } from '@jest/globals';
import { shareRefund, takingsByMethod } from '../../../back-end/src/domain/takings.js';

describe('shareRefund', () => {
  it('puts a refund of a sale paid one way all on that way', () => {
    expect([...shareRefund([{ method: 'card', cents: 1120 }], -560)]).toEqual([['card', -560]]);
  });

  it('shares a refund of a split bill in proportion, in whole cents that add up exactly', () => {
    // 1000 paid 1/3 cash, 2/3 card; 100 back: 33.3 and 66.6, the odd cent to the larger remainder.
    const shares = shareRefund([{ method: 'cash', cents: 333 }, { method: 'card', cents: 667 }], -100);
    expect(Object.fromEntries(shares)).toEqual({ cash: -33, card: -67 });
    const even = shareRefund([{ method: 'cash', cents: 500 }, { method: 'card', cents: 500 }], -1);
    expect([...even.values()].reduce((a, b) => a + b, 0)).toBe(-1);
    // Two payments by the same method count as one.
    expect(Object.fromEntries(shareRefund([{ method: 'card', cents: 300 }, { method: 'card', cents: 700 }], -1000))).toEqual({ card: -1000 });
  });

  it('adds up exactly for every refund of a three-way split', () => {
    const payments = [{ method: 'cash' as const, cents: 701 }, { method: 'card' as const, cents: 1303 }, { method: 'other' as const, cents: 97 }];
    for (let r = 1; r <= 2101; r += 1) {
      const total = [...shareRefund(payments, -r).values()].reduce((a, b) => a + b, 0);
      expect(total).toBe(-r);
    }
  });

  it('refuses a positive or fractional refund', () => {
    expect(() => shareRefund([{ method: 'card', cents: 100 }], 5)).toThrow(RangeError);
    expect(() => shareRefund([{ method: 'card', cents: 100 }], -0.5)).toThrow(RangeError);
  });
});

describe('takingsByMethod', () => {
  it('gives every method, payments less refund shares', () => {
    expect(
      takingsByMethod(
        [{ method: 'card', cents: 1120 }, { method: 'cash', cents: 560 }, { method: 'card', cents: 300 }],
        [{ refundCents: -560, salePayments: [{ method: 'card', cents: 1120 }] }],
      ),
    ).toEqual([
      { method: 'card', cents: 860 },
      { method: 'cash', cents: 560 },
      { method: 'other', cents: 0 },
    ]);
  });
});
