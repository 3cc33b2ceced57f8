import { Errors, withField, type ReplyOf } from '@barback/messaging';

/**
 * The VAT3 and the RTD worked out from per-rate sums (migration 0020's day
 * totals, added up by month), with no database: every rule of issue 19 in one
 * place, unit-tested. Dates are calendar dates 'YYYY-MM-DD' by the venue's
 * calendar; amounts are integer cents.
 */

export type VatReturn = ReplyOf<'vat.getVatReturn'>;
export type TradingDetails = ReplyOf<'vat.getTradingDetails'>;

/** The sums of one month (or any stretch) at one rate. Refunds and credit notes are negative, as stored. */
export interface RateSums {
  month: string;
  vatRateBp: number;
  salesNetCents: number;
  salesVatCents: number;
  refundsNetCents: number;
  refundsVatCents: number;
  purchasesNetCents: number;
  purchasesVatCents: number;
  creditsNetCents: number;
  creditsVatCents: number;
}

export interface DateRange {
  from: string;
  to: string;
}

/** The longest from–to a return may cover: a year, leap or not (the longest Irish filing period is annual). */
export const MAX_RANGE_DAYS = 366;

const DAY_MS = 86_400_000;
const dayNumber = (date: string) => Date.parse(`${date}T00:00:00Z`) / DAY_MS;
const pad = (n: number) => String(n).padStart(2, '0');

/** The last day of a month (1-12). */
function lastDay(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** A two-month period's first and last day: '2026-11' → 2026-11-01 to 2026-12-31. */
export function periodRange(period: string): DateRange {
  const [year, month] = period.split('-').map(Number) as [number, number];
  return { from: `${year}-${pad(month)}-01`, to: `${year}-${pad(month + 1)}-${pad(lastDay(year, month + 1))}` };
}

/**
 * What a request names: `period`, or `from` and `to` (inclusive), exactly one
 * of the two ways; a 400 names the field at fault.
 */
export function requestedRange(input: { period?: string | undefined; from?: string | undefined; to?: string | undefined }): DateRange {
  if (input.period !== undefined) {
    if (input.from !== undefined || input.to !== undefined) {
      throw withField(new Errors.validation('Give either period, or from and to, not both.'), input.from !== undefined ? 'from' : 'to');
    }
    return periodRange(input.period);
  }
  if (input.from === undefined) throw withField(new Errors.validation('Give period (e.g. 2026-11), or from and to.'), input.to === undefined ? 'period' : 'from');
  if (input.to === undefined) throw withField(new Errors.validation('Give to as well as from.'), 'to');
  const days = dayNumber(input.to) - dayNumber(input.from) + 1;
  if (days < 1) throw withField(new Errors.validation('to must not be before from.'), 'to');
  if (days > MAX_RANGE_DAYS) throw withField(new Errors.validation(`A return covers at most ${MAX_RANGE_DAYS} days.`), 'to');
  return { from: input.from, to: input.to };
}

/** Cents to whole euro, half up (towards +∞), as ROS takes a box: 12349 → 123, 12350 → 124, −150 → −1. */
export function roundEuro(cents: number): number {
  return Math.floor((cents + 50) / 100);
}

const byRateDesc = (a: { vatRateBp: number }, b: { vatRateBp: number }) => b.vatRateBp - a.vatRateBp;

/** Net and VAT by rate from the sums, highest rate first; a rate with nothing on either side is left out. */
function byRate(rows: readonly RateSums[], pick: (r: RateSums) => [number, number, boolean]): { vatRateBp: number; netCents: number; vatCents: number }[] {
  const totals = new Map<number, { vatRateBp: number; netCents: number; vatCents: number; seen: boolean }>();
  for (const r of rows) {
    const [net, vat, any] = pick(r);
    const t = totals.get(r.vatRateBp) ?? { vatRateBp: r.vatRateBp, netCents: 0, vatCents: 0, seen: false };
    t.netCents += net;
    t.vatCents += vat;
    // A rate counts once anything was recorded at it, even if refunds cancelled it out to 0.
    t.seen ||= any;
    totals.set(r.vatRateBp, t);
  }
  return [...totals.values()].filter((t) => t.seen).sort(byRateDesc).map(({ vatRateBp, netCents, vatCents }) => ({ vatRateBp, netCents, vatCents }));
}

const salesOf = (r: RateSums): [number, number, boolean] => [
  r.salesNetCents + r.refundsNetCents,
  r.salesVatCents + r.refundsVatCents,
  r.salesNetCents !== 0 || r.salesVatCents !== 0 || r.refundsNetCents !== 0 || r.refundsVatCents !== 0,
];
const purchasesOf = (r: RateSums): [number, number, boolean] => [
  r.purchasesNetCents + r.creditsNetCents,
  r.purchasesVatCents + r.creditsVatCents,
  r.purchasesNetCents !== 0 || r.purchasesVatCents !== 0 || r.creditsNetCents !== 0 || r.creditsVatCents !== 0,
];
const sum = (xs: readonly number[]) => xs.reduce((t, x) => t + x, 0);

/**
 * The VAT3: T1 the sales' VAT less the refunds' (each in the period it
 * happened), T2 the deliveries' VAT less the credit notes', T3 and T4 the
 * balance either way. ROS takes whole euro: T1 and T2 are rounded half up
 * each on its own, and T3 and T4 come from the rounded figures, so the boxes
 * keyed in agree with each other as ROS checks them.
 */
export function buildVatReturn(range: DateRange, rows: readonly RateSums[], openTabsAtEnd: number): VatReturn {
  const sales = byRate(rows, salesOf);
  const purchases = byRate(rows, purchasesOf);
  const T1Cents = sum(rows.map((r) => salesOf(r)[1]));
  const T2Cents = sum(rows.map((r) => purchasesOf(r)[1]));
  const T1 = roundEuro(T1Cents);
  const T2 = roundEuro(T2Cents);
  return {
    from: range.from,
    to: range.to,
    sales,
    purchases,
    T1Cents,
    T2Cents,
    T3Cents: Math.max(T1Cents - T2Cents, 0),
    T4Cents: Math.max(T2Cents - T1Cents, 0),
    E1Cents: 0,
    E2Cents: 0,
    ES1Cents: 0,
    ES2Cents: 0,
    PA1Cents: 0,
    ros: { T1, T2, T3: Math.max(T1 - T2, 0), T4: Math.max(T2 - T1, 0), E1: 0, E2: 0, ES1: 0, ES2: 0, PA1: 0 },
    openTabsAtEnd,
  };
}

/** The six two-month periods of a year, by first month. */
export function periodsOfYear(year: number): string[] {
  return [1, 3, 5, 7, 9, 11].map((m) => `${year}-${pad(m)}`);
}

/**
 * The RTD for a year from its months' sums: net sales and net purchases for
 * resale by rate, the year's VAT, and each period's T1 and T2 exactly as its
 * VAT3 works them out (buildVatReturn); the integration test checks the
 * year's VAT against the six returns themselves.
 */
export function buildTradingDetails(year: number, rows: readonly RateSums[]): TradingDetails {
  const periods = periodsOfYear(year).map((period) => {
    const range = periodRange(period);
    const months = new Set([range.from.slice(0, 7), range.to.slice(0, 7)]);
    const r = buildVatReturn(range, rows.filter((row) => months.has(row.month)), 0);
    return { period, from: range.from, to: range.to, T1Cents: r.T1Cents, T2Cents: r.T2Cents };
  });
  return {
    year,
    from: `${year}-01-01`,
    to: `${year}-12-31`,
    sales: byRate(rows, salesOf),
    purchasesForResale: byRate(rows, purchasesOf),
    // Summed over the year's rows, not over the periods: that the two agree is what the tests check.
    salesVatCents: sum(rows.map((r) => salesOf(r)[1])),
    purchasesVatCents: sum(rows.map((r) => purchasesOf(r)[1])),
    periods,
  };
}
