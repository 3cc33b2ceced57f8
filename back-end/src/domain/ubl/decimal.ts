/**
 * Exact decimals from a document's text. An e-invoice writes amounts as
 * decimal strings ("152.50", "0.3"); reading them through a JavaScript number
 * would turn 0.3 into 0.29999…, so they are scaled to integers on the text.
 */

const DECIMAL = /^([+-]?)(\d{1,15})(?:\.(\d+))?$/;

/**
 * `text` × 10^scale as a bigint, or null when it is not a plain decimal or
 * has more than `scale` decimal places (a trailing zero past the scale is
 * still exact and accepted: "1.500" at scale 2 is 150).
 */
export function scaledDecimal(text: string, scale: number): bigint | null {
  const m = DECIMAL.exec(text.trim());
  if (!m) return null;
  const fraction = (m[3] ?? '').replace(/0+$/, '');
  if (fraction.length > scale) return null;
  const value = BigInt(`${m[2]}${fraction.padEnd(scale, '0')}`);
  return m[1] === '-' ? -value : value;
}

/** round(numerator / denominator), half away from zero, for a positive denominator. */
export function roundHalfUp(numerator: bigint, denominator: bigint): bigint {
  const sign = numerator < 0n ? -1n : 1n;
  const n = numerator * sign;
  return sign * ((n * 2n + denominator) / (denominator * 2n));
}

/** A scaled integer back to its decimal text: (12345n, 3) → "12.345", (-5n, 2) → "-0.05". */
export function decimalText(value: bigint, scale: number): string {
  const negative = value < 0n;
  const digits = (negative ? -value : value).toString().padStart(scale + 1, '0');
  const whole = scale === 0 ? digits : digits.slice(0, -scale);
  const fraction = scale === 0 ? '' : digits.slice(-scale).replace(/0+$/, '');
  return `${negative ? '-' : ''}${whole}${fraction ? `.${fraction}` : ''}`;
}
