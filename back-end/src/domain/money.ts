/**
 * Money is integer cents throughout. VAT is extracted from a VAT-inclusive
 * gross: vat = round_half_up(gross × rate / (100 + rate)). Rates are held in
 * basis points (23% = 2300, 13.5% = 1350) so the arithmetic stays integral.
 */
export function vatFromGross(grossCents: number, rateBp: number): number {
  if (!Number.isSafeInteger(grossCents) || !Number.isSafeInteger(rateBp) || rateBp < 0) {
    throw new RangeError('vatFromGross needs integer cents and a non-negative integer rate in basis points');
  }
  // Half-up on the magnitude, so a refund's VAT is exactly the negative of the sale's.
  const sign = grossCents < 0 ? -1 : 1;
  const numerator = BigInt(Math.abs(grossCents)) * BigInt(rateBp);
  const denominator = BigInt(10_000 + rateBp);
  const rounded = (numerator * 2n + denominator) / (denominator * 2n);
  return sign * Number(rounded);
}

export interface LineAmounts {
  grossCents: number;
  vatCents: number;
  netCents: number;
}

export function lineAmounts(unitPriceCents: number, quantity: number, rateBp: number): LineAmounts {
  const grossCents = unitPriceCents * quantity;
  const vatCents = vatFromGross(grossCents, rateBp);
  return { grossCents, vatCents, netCents: grossCents - vatCents };
}

export function sumAmounts(lines: LineAmounts[]): LineAmounts {
  return lines.reduce(
    (t, l) => ({ grossCents: t.grossCents + l.grossCents, vatCents: t.vatCents + l.vatCents, netCents: t.netCents + l.netCents }),
    { grossCents: 0, vatCents: 0, netCents: 0 },
  );
}
