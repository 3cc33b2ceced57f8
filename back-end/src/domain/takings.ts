/**
 * Takings by payment method: what each method took, less what went back.
 * A refund has no method of its own: it goes back the way its sale was paid,
 * and for a bill split between methods it is shared out in proportion to what
 * each method paid, in whole cents that add up to the refund exactly (the
 * cents left by rounding down go to the largest remainders).
 */
export type Method = 'cash' | 'card' | 'other';
const METHODS: readonly Method[] = ['card', 'cash', 'other'];

export interface MethodCents {
  method: Method;
  cents: number;
}

/** A refund (cents ≤ 0) shared among its sale's payments, per method. */
export function shareRefund(payments: readonly MethodCents[], refundCents: number): Map<Method, number> {
  if (!Number.isSafeInteger(refundCents) || refundCents > 0) throw new RangeError('a refund is a whole, negative number of cents');
  const paid = new Map<Method, number>();
  for (const p of payments) paid.set(p.method, (paid.get(p.method) ?? 0) + p.cents);
  const total = [...paid.values()].reduce((a, b) => a + b, 0);
  const owed = -refundCents;
  const shares = new Map<Method, number>();
  if (total <= 0) {
    // A sale with no payment cannot have been refunded; keep the money visible rather than lose it.
    if (owed) shares.set('other', refundCents);
    return shares;
  }
  const parts = [...paid.entries()].map(([method, cents]) => {
    // BigInt: a refund of €1m against a payment of €1m is past 2^53 when multiplied.
    const exact = BigInt(owed) * BigInt(cents);
    return { method, cents, whole: Number(exact / BigInt(total)), rest: Number(exact % BigInt(total)) };
  });
  let left = owed - parts.reduce((a, p) => a + p.whole, 0);
  // Largest remainder first; on a tie, the method that paid more, then the list's order.
  const order = [...parts].sort((a, b) => b.rest - a.rest || b.cents - a.cents || METHODS.indexOf(a.method) - METHODS.indexOf(b.method));
  for (const p of order) {
    if (left <= 0) break;
    p.whole += 1;
    left -= 1;
  }
  for (const p of parts) if (p.whole) shares.set(p.method, -p.whole);
  return shares;
}

/**
 * The day's takings per method: payments of the day's sales plus the shares
 * of the day's refunds. Every method appears, in METHODS order.
 */
export function takingsByMethod(
  payments: readonly MethodCents[],
  refunds: readonly { refundCents: number; salePayments: readonly MethodCents[] }[],
): MethodCents[] {
  const totals = new Map<Method, number>(METHODS.map((m) => [m, 0]));
  for (const p of payments) totals.set(p.method, (totals.get(p.method) ?? 0) + p.cents);
  for (const r of refunds) {
    for (const [m, cents] of shareRefund(r.salePayments, r.refundCents)) totals.set(m, (totals.get(m) ?? 0) + cents);
  }
  return METHODS.map((method) => ({ method, cents: totals.get(method) ?? 0 }));
}
