/**
 * Minimum unit pricing (Public Health (Alcohol) Act 2018): no serving of an
 * alcoholic drink below €0.10 per gram of alcohol, where
 * grams = ml × ABV / 100 × 0.789. The minimum in cents is grams × 10, rounded up.
 *
 * Computed in integers (tenths of a ml, hundredths of a percent, 789/1000 g/ml)
 * so 35.5 ml at 40% gives exactly 113 cents, with no floating-point drift.
 */
export function minimumPriceCents(ml: number, abvPercent: number): number {
  if (abvPercent <= 0 || ml <= 0) return 0;
  const tenthsMl = BigInt(Math.round(ml * 10));
  const abvBp = BigInt(Math.round(abvPercent * 100));
  // cents = ceil(ml × abv/100 × 0.789 × 10) = ceil(tenthsMl/10 × abvBp/10000 × 789/1000 × 10)
  const numerator = tenthsMl * abvBp * 789n;
  const denominator = 10n * 10_000n * 1000n / 10n;
  return Number((numerator + denominator - 1n) / denominator);
}
