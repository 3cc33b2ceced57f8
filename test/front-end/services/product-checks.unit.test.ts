/** The product form's warnings: sizes that are possible but nearly always a slip, and VAT classes that cannot be right. */
import { describe, expect, it } from '@jest/globals';
import { productWarnings, type CheckedProduct } from '../../../front-end/src/services/product-checks.js';

const stout: CheckedProduct = {
  category: 'draught',
  abv: 4.2,
  vatClass: 'standard',
  unitMl: 50_000,
  servings: [
    { name: 'Pint', ml: 568 },
    { name: 'Half', ml: 284 },
  ],
};
const fields = (p: CheckedProduct) => productWarnings(p).map((w) => w.field);

describe('product warnings', () => {
  it('has nothing to say about an ordinary keg, bottle of spirits or soft drink', () => {
    expect(productWarnings(stout)).toEqual([]);
    expect(productWarnings({ category: 'spirit', abv: 40, vatClass: 'standard', unitMl: 700, servings: [{ name: 'Measure', ml: 35.5 }] })).toEqual([]);
    expect(productWarnings({ category: 'soft', abv: 0, vatClass: 'standard', unitMl: null, servings: [{ name: 'Bottle', ml: null }] })).toEqual([]);
  });

  it('warns when a serving draws more than one stock unit, saying how many', () => {
    const warnings = productWarnings({ ...stout, category: 'bottle', unitMl: 330, servings: [{ name: 'Bottle', ml: 330 }, { name: 'Pint', ml: 568 }] });
    expect(warnings).toEqual([{ field: 'servings.1.ml', message: expect.stringContaining('more than one stock unit (330 ml)') }]);
    expect(warnings[0]!.message).toContain('1.72 units');
  });

  it('warns about units no container has, and a draught with no keg size', () => {
    expect(fields({ ...stout, unitMl: 5 })).toEqual(['unitMl', 'servings.0.ml', 'servings.1.ml']);
    expect(productWarnings({ ...stout, unitMl: 500_000, servings: [] })[0]!.message).toContain('500 l');
    expect(fields({ ...stout, unitMl: 100_000 })).toEqual([]);
    expect(fields({ ...stout, unitMl: 20 })).toEqual(['servings.0.ml', 'servings.1.ml']);
    expect(fields({ ...stout, unitMl: null, servings: [{ name: 'Keg', ml: null }] })).toEqual(['unitMl']);
  });

  it('warns about a serving of a few ml', () => {
    expect(productWarnings({ ...stout, servings: [{ name: 'Pint', ml: 0.5 }] })).toEqual([
      { field: 'servings.0.ml', message: expect.stringContaining('0.5 ml is less than any drink') },
    ]);
  });

  it('warns when alcohol or a soft drink is put on the reduced rate', () => {
    expect(fields({ ...stout, vatClass: 'reduced' })).toEqual(['vatClass']);
    expect(fields({ category: 'soft', abv: 0, vatClass: 'reduced', unitMl: null, servings: [] })).toEqual(['vatClass']);
    expect(fields({ category: 'food', abv: 0, vatClass: 'reduced', unitMl: null, servings: [] })).toEqual([]);
  });
});
