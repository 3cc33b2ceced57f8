import { Errors, withField } from '@barback/messaging';

/**
 * A quantity a person typed, in thousandths of a stock unit, or a 400 naming
 * the field: at most 3 decimal places. Checked on the decimal as JSON gave
 * it (0.3 is 0.299999…), so anything within a millionth of a thousandth is
 * the thousandth the person meant.
 */
export function thousandths(quantity: number, field: string): bigint {
  const scaled = quantity * 1000;
  const whole = Math.round(scaled);
  if (Math.abs(scaled - whole) > 1e-6 || whole <= 0) {
    throw withField(new Errors.validation(`${field} must be more than 0 with at most 3 decimal places.`), field);
  }
  return BigInt(whole);
}

/** round(numerator / denominator), half up, for non-negative integers: the one rounding rule of money here. */
function halfUp(numerator: bigint, denominator: bigint): bigint {
  return (numerator * 2n + denominator) / (denominator * 2n);
}

export interface DeliveryLineAmounts {
  netCents: number;
  vatCents: number;
}

/**
 * One line of an invoice: net = round(quantity × unit cost), VAT =
 * round(net × rate / 10000), each rounded half up on its own. A credit note's
 * line is the same line negated, so crediting a whole invoice cancels it to
 * the cent.
 */
export function deliveryLineAmounts(quantityThousandths: bigint, unitCostCents: number, vatRateBp: number, credit: boolean): DeliveryLineAmounts {
  const net = halfUp(quantityThousandths * BigInt(unitCostCents), 1000n);
  const vat = halfUp(net * BigInt(vatRateBp), 10_000n);
  const sign = credit ? -1 : 1;
  // Signed zero would print as -0 in JSON-less comparisons; 0 is 0 either way.
  return { netCents: sign * Number(net) || 0, vatCents: sign * Number(vat) || 0 };
}

/** How much a wastage record names: exactly one way, each checked against the product. */
export type WastageAmount = { ml: number } | { units: bigint } | { servingId: string; servings: number };

export function wastageAmount(input: { ml?: number | undefined; units?: number | undefined; servingId?: string | undefined; servings?: number | undefined }): WastageAmount {
  const ways = [input.ml !== undefined, input.units !== undefined, input.servingId !== undefined || input.servings !== undefined].filter(Boolean).length;
  if (ways !== 1) {
    const field = input.ml !== undefined ? 'ml' : input.units !== undefined ? 'units' : 'servingId';
    throw withField(new Errors.validation('Say how much in exactly one way: ml, units, or servingId with servings.'), ways === 0 ? 'ml' : field);
  }
  if (input.ml !== undefined) {
    // ml as a measure is read to a tenth (the column's scale): more would be a slip, not a measure.
    if (Math.abs(input.ml * 10 - Math.round(input.ml * 10)) > 1e-6) throw withField(new Errors.validation('ml has at most 1 decimal place.'), 'ml');
    return { ml: input.ml };
  }
  if (input.units !== undefined) return { units: thousandths(input.units, 'units') };
  if (input.servingId === undefined) throw withField(new Errors.validation('servingId is required with servings.'), 'servingId');
  return { servingId: input.servingId, servings: input.servings ?? 1 };
}
