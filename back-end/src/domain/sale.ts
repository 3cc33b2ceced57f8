import { Errors, formatEuro } from '@barback/messaging';

/**
 * What a sale line says it is, on the tab, the receipt and every report
 * after: the product and the serving as they were named when it was rung up,
 * "Guinness (Pint)". Stored with the line, so renaming a product later does
 * not rewrite what was sold.
 */
export function lineDescription(productName: string, servingName: string): string {
  return `${productName} (${servingName})`;
}

/**
 * A tab is paid only when its payments add up to its total exactly: a till
 * that takes €20 for a €19.40 tab records €19.40 paid and hands back change
 * outside the system, so more is refused as firmly as less.
 */
export function checkPaymentsMatchTotal(payments: readonly { amountCents: number }[], totalCents: number): void {
  const paid = payments.reduce((sum, p) => sum + p.amountCents, 0);
  if (paid !== totalCents) throw new Errors.paymentsMismatch(formatEuro(paid), formatEuro(totalCents));
}
