/** formatEuro (messaging/src/domain/money.ts): the one way both the worker's refusals and the pages write an amount. */
import { describe, expect, it } from '@jest/globals';
import { formatEuro } from '@barback/messaging';

describe('formatEuro', () => {
  it.each([
    [610, '€6.10'],
    [193, '€1.93'],
    [5, '€0.05'],
    [0, '€0.00'],
    [100_000_000, '€1000000.00'],
    [-5, '-€0.05'],
    [-1200, '-€12.00'],
  ])('%i cents reads %s', (cents, text) => {
    expect(formatEuro(cents)).toBe(text);
  });
});
