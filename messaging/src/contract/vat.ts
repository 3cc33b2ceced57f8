import { Type } from '@sinclair/typebox';
import { defineAction } from './define.js';
import { VAT_PERIOD_PATTERN, Uuid } from './common.js';
import { CalendarDate } from './deliveries.js';

const Cents = Type.Integer();
const Day = Type.String({ format: 'date' });

/** A two-month period by its first month, e.g. 2026-11 for November–December. */
export const VatPeriod = Type.String({ pattern: VAT_PERIOD_PATTERN, minLength: 7, maxLength: 7 });

/** Net and VAT at one rate; refunds and credit notes already taken off (signed sums). */
export const VatByRate = Type.Object({ vatRateBp: Type.Integer(), netCents: Cents, vatCents: Cents });

export const VatReturn = Type.Object({
  /** The first and last day of the period, inclusive, by the venue's calendar (Europe/Dublin). */
  from: Day,
  to: Day,
  /** Sales closed in the period less refunds made in it, by rate, highest rate first. */
  sales: Type.Array(VatByRate),
  /** Deliveries whose invoice date is in the period less credit notes, by rate, highest rate first. */
  purchases: Type.Array(VatByRate),
  /** VAT on sales: sales' VAT less refunds' VAT. */
  T1Cents: Cents,
  /** VAT on purchases: deliveries' VAT less credit notes'. */
  T2Cents: Cents,
  /** max(T1 − T2, 0): payable. */
  T3Cents: Cents,
  /** max(T2 − T1, 0): repayable. */
  T4Cents: Cents,
  /** Intra-EU supplies and acquisitions of goods, then of services, and postponed accounting: 0 for a domestic pub. */
  E1Cents: Cents,
  E2Cents: Cents,
  ES1Cents: Cents,
  ES2Cents: Cents,
  PA1Cents: Cents,
  /** Whole euro as ROS takes them: T1 and T2 each rounded half up, T3 and T4 worked from those. */
  ros: Type.Object({
    T1: Type.Integer(),
    T2: Type.Integer(),
    T3: Type.Integer(),
    T4: Type.Integer(),
    E1: Type.Integer(),
    E2: Type.Integer(),
    ES1: Type.Integer(),
    ES2: Type.Integer(),
    PA1: Type.Integer(),
  }),
  /** Tabs still open that were opened before the period ended: their sales count when they close, in a later period. */
  openTabsAtEnd: Type.Integer(),
});

/** One document the return counted, at one rate: a sale or refund on its local date, a delivery on its invoice date. */
export const VatWorking = Type.Object({
  date: Day,
  kind: Type.Union([Type.Literal('sale'), Type.Literal('refund'), Type.Literal('invoice'), Type.Literal('creditNote')]),
  id: Uuid,
  vatRateBp: Type.Integer(),
  netCents: Cents,
  vatCents: Cents,
});

/** `period`, or `from` and `to` (inclusive, at most 366 days apart): exactly one of the two ways. */
const PeriodRequest = Type.Object(
  { period: Type.Optional(VatPeriod), from: Type.Optional(CalendarDate), to: Type.Optional(CalendarDate) },
  { additionalProperties: false },
);

export const TradingDetails = Type.Object({
  year: Type.Integer(),
  from: Day,
  to: Day,
  /** Net sales (less refunds) by rate: the RTD's supplies at each rate. */
  sales: Type.Array(VatByRate),
  /** Net purchases for resale (deliveries less credit notes) by rate. */
  purchasesForResale: Type.Array(VatByRate),
  /** The year's VAT on sales: the sum of its six T1 figures. */
  salesVatCents: Cents,
  /** The year's VAT on purchases: the sum of its six T2 figures. */
  purchasesVatCents: Cents,
  /** The year's six two-month periods, to reconcile with the VAT3s filed. */
  periods: Type.Array(Type.Object({ period: Type.String(), from: Day, to: Day, T1Cents: Cents, T2Cents: Cents })),
});

export const vatActions = {
  /**
   * Managers: the VAT3 for a two-month period (`period`: its first month,
   * e.g. 2026-11) or for `from`–`to` (other filing frequencies). Days by the
   * venue's calendar; a refund counts in the period it is made, a delivery by
   * its invoice date. Read from the per-day totals (migration 0020).
   */
  'vat.getVatReturn': defineAction({
    kind: 'read',
    auth: 'session',
    role: 'manager',
    request: PeriodRequest,
    reply: VatReturn,
  }),
  /** Managers: every sale, refund and delivery the return for the same period counted, one row per document and rate, by date. */
  'vat.getVatWorkings': defineAction({
    kind: 'read',
    auth: 'session',
    role: 'manager',
    request: PeriodRequest,
    reply: Type.Object({ from: Day, to: Day, items: Type.Array(VatWorking) }),
  }),
  /** Managers: the Return of Trading Details for a calendar year. */
  'vat.getTradingDetails': defineAction({
    kind: 'read',
    auth: 'session',
    role: 'manager',
    request: Type.Object({ year: Type.Integer({ minimum: 2000, maximum: 2100 }) }, { additionalProperties: false }),
    reply: TradingDetails,
  }),
};
