/**
 * How an amount of integer cents reads to a person: 610 → "€6.10",
 * -5 → "-€0.05". One function for both sides: the worker writes amounts into
 * its refusals (payments that do not add up, a price below the legal minimum)
 * and the front end into its pages, and a customer must see them alike.
 */
export function formatEuro(cents: number): string {
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  return `${sign}€${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}
