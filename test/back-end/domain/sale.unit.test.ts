/** What a sale is made of (back-end/src/domain/sale.ts): a line's description and the payment check, shared by the till and quick sales. */
import { describe, expect, it } from '@jest/globals';
import type { CodedError } from '@barback/messaging';
import { checkPaymentsMatchTotal, lineDescription } from '../../../back-end/src/domain/sale.js';

function thrown(fn: () => void): CodedError {
  try {
    fn();
  } catch (err) {
    return err as CodedError;
  }
  throw new Error('expected a refusal');
}

describe('lineDescription', () => {
  it('names the product and the serving as they were sold', () => {
    expect(lineDescription('Guinness', 'Pint')).toBe('Guinness (Pint)');
    expect(lineDescription('Jameson', 'Measure (35.5 ml)')).toBe('Jameson (Measure (35.5 ml))');
  });
});

describe('checkPaymentsMatchTotal', () => {
  it('accepts payments that add up to the total exactly, split or not', () => {
    expect(() => checkPaymentsMatchTotal([{ amountCents: 1160 }], 1160)).not.toThrow();
    expect(() => checkPaymentsMatchTotal([{ amountCents: 1000 }, { amountCents: 160 }], 1160)).not.toThrow();
  });

  it('refuses less than the total, with both amounts in euro', () => {
    const err = thrown(() => checkPaymentsMatchTotal([{ amountCents: 500 }, { amountCents: 600 }], 1160));
    expect(err.code).toBe('BB_PAYMENTS_MISMATCH');
    expect(err.statusCode).toBe(400);
    expect(err.message).toBe('Payments add up to €11.00 but the total is €11.60; they must match exactly.');
  });

  it('refuses more than the total: change is given outside the system', () => {
    const err = thrown(() => checkPaymentsMatchTotal([{ amountCents: 2000 }], 1940));
    expect(err.code).toBe('BB_PAYMENTS_MISMATCH');
    expect(err.message).toContain('€20.00');
    expect(err.message).toContain('€19.40');
  });

  it('refuses no payment at all against a non-zero total', () => {
    expect(thrown(() => checkPaymentsMatchTotal([], 1)).code).toBe('BB_PAYMENTS_MISMATCH');
  });
});
