import { Errors, withField } from '@barback/messaging';

/** A product's weights, when both are given, must leave a container something to weigh: full above empty. */
export function checkWeights(fullWeightGrams: number | null, emptyWeightGrams: number | null): void {
  if (fullWeightGrams !== null && emptyWeightGrams !== null && fullWeightGrams <= emptyWeightGrams) {
    throw withField(new Errors.validation('emptyWeightGrams must be less than fullWeightGrams.'), 'emptyWeightGrams');
  }
}

/** How a partial container was counted: as tenths, as its gross weight, or not at all. */
export type Partial = { tenths: number } | { grams: number; fullWeightGrams: number; emptyWeightGrams: number } | null;

/**
 * A count's stock units as a numeric literal for PostgreSQL, which does the
 * one division a weight needs (numeric, kept to the column's 8 places):
 * full + tenths / 10, or full + (grams − empty) / (full − empty).
 * Returns [whole, numerator, denominator] so no float touches the share.
 */
export function countParts(fullUnits: number, partial: Partial): { whole: number; numerator: number; denominator: number } {
  if (partial === null) return { whole: fullUnits, numerator: 0, denominator: 1 };
  if ('tenths' in partial) return { whole: fullUnits, numerator: partial.tenths, denominator: 10 };
  return { whole: fullUnits, numerator: partial.grams - partial.emptyWeightGrams, denominator: partial.fullWeightGrams - partial.emptyWeightGrams };
}

/**
 * The partial container of a count, checked against the product: at most
 * one way, and a weight only of a product with both weights, between empty
 * and full (a gross weight outside them is a misread scale or the wrong keg).
 */
export function partialOf(
  input: { partialTenths?: number | undefined; partialGrams?: number | undefined },
  product: { fullWeightGrams: number | null; emptyWeightGrams: number | null },
): Partial {
  if (input.partialTenths !== undefined && input.partialGrams !== undefined) {
    throw withField(new Errors.validation('Give the partial container as tenths or as grams, not both.'), 'partialGrams');
  }
  if (input.partialTenths !== undefined) return { tenths: input.partialTenths };
  if (input.partialGrams === undefined) return null;
  const { fullWeightGrams: full, emptyWeightGrams: empty } = product;
  if (full === null || empty === null) {
    throw withField(new Errors.validation('This product has no full and empty weights: count the partial container in tenths.'), 'partialGrams');
  }
  if (input.partialGrams < empty || input.partialGrams > full) {
    throw withField(new Errors.validation(`partialGrams must be between the empty weight (${empty} g) and the full weight (${full} g).`), 'partialGrams');
  }
  return { grams: input.partialGrams, fullWeightGrams: full, emptyWeightGrams: empty };
}
