import { describe, expect, it } from '@jest/globals';
import { minimumPriceCents } from '../../../back-end/src/domain/minimum-price.js';

describe('minimum unit price', () => {
  it.each([
    [568, 4.3, 193], // pint of 4.3% lager: 19.27 g → €1.93
    [284, 4.3, 97], // half pint: 9.636 g → 96.4 → 97
    [35.5, 40, 113], // spirit measure: 11.2038 g → 112.04 → 113
    [187, 12.5, 185], // glass of wine: 18.443 g → 184.4 → 185
    [700, 40, 2210], // bottle of spirits: 220.92 g → €22.10 (2209.2 → 2210)
    [330, 5, 131], // bottle of beer: 13.0185 g → 130.2 → 131
  ])('%d ml at %d%% costs at least %i cents', (ml, abv, cents) => {
    expect(minimumPriceCents(ml, abv)).toBe(cents);
  });

  it('does not apply to alcohol-free products', () => {
    expect(minimumPriceCents(568, 0)).toBe(0);
  });
});
