import { Errors, formatEuro, withField, type RequestOf } from '@barback/messaging';
import { minimumPriceCents } from './minimum-price.js';

type ServingInput = RequestOf<'catalogue.createProduct'>['servings'][number];

export interface PricedProduct {
  name: string;
  abv: number;
  unitMl: number | null;
  servings: Array<Pick<ServingInput, 'name' | 'ml' | 'priceCents'>>;
}

/**
 * The rules a product's servings must keep, checked on create and on every
 * change: the minimum unit price for alcohol (Public Health (Alcohol) Act
 * 2018), and servings that can be drawn from the way stock is counted.
 */
export function checkServings(product: PricedProduct): void {
  product.servings.forEach((serving, i) => {
    if (product.unitMl === null && serving.ml !== null) {
      throw withField(
        new Errors.validation(`${serving.name}: this product is counted in units, so a serving is one whole unit; leave its ml empty.`),
        `servings.${i}.ml`,
      );
    }
    if (product.abv <= 0) return;
    const ml = serving.ml ?? product.unitMl;
    if (ml === null) {
      throw withField(
        new Errors.validation(`${serving.name}: an alcoholic product needs its ml (or the product's unitMl) to check the minimum unit price.`),
        `servings.${i}.ml`,
      );
    }
    const minimum = minimumPriceCents(ml, product.abv);
    if (serving.priceCents < minimum) {
      throw withField(
        new Errors.belowMinimumPrice(`${product.name} (${serving.name})`, formatEuro(serving.priceCents), formatEuro(minimum)),
        `servings.${i}.priceCents`,
      );
    }
  });
}

/** Stock units one serving draws: its ml as a share of the unit, or one whole unit. */
export function drawPerServing(servingMl: number | null, unitMl: number | null): number {
  return servingMl === null || unitMl === null ? 1 : servingMl / unitMl;
}

/**
 * Stock units as a reply shows them: rounded to 8 places, so fractions of a
 * unit (a pint is 568/50,000 of a keg) never carry binary floating-point noise
 * such as 1.9545599999999999.
 */
export function roundStockUnits(units: number): number {
  return Math.round(units * 1e8) / 1e8;
}
