import { Type } from '@sinclair/typebox';
import { defineAction } from './define.js';
import { Nullable, PaymentMethod, Text, Timestamp, Uuid, pageOf, pageRequest } from './common.js';

const Who = Type.Object({ id: Uuid, name: Type.String() });
const Cents = Type.Integer();
/** Money counted or moved by hand: whole cents, up to a million euro. */
const Amount = (minimum: number) => Type.Integer({ minimum, maximum: 100_000_000 });

/** Sales less the refunds made in the shift, at one VAT rate. */
export const RateTotals = Type.Object({ vatRateBp: Type.Integer(), grossCents: Cents, vatCents: Cents, netCents: Cents });

/** Money taken and given back one way; netCents = salesCents − refundsCents (refunds positive). */
export const MethodTotals = Type.Object({ method: PaymentMethod, salesCents: Cents, refundsCents: Cents, netCents: Cents });

/**
 * What a shift's figures are at a moment: the X report, and the body of the
 * Z. gross, VAT, net and byRate are the shift's sales less the refunds made
 * in it (what the VAT return counts); refunds and voids are positive;
 * expectedCash = float + cash sales − cash refunds + paid in − paid out.
 */
const figures = {
  shiftId: Uuid,
  openedAt: Timestamp,
  openedBy: Who,
  floatCents: Cents,
  salesCount: Type.Integer(),
  grossCents: Cents,
  vatCents: Cents,
  netCents: Cents,
  /** Highest rate first. */
  byRate: Type.Array(RateTotals),
  /** cash, card, other: each once, always. */
  byMethod: Type.Array(MethodTotals),
  refunds: Type.Object({ count: Type.Integer(), grossCents: Cents }),
  voids: Type.Object({ count: Type.Integer(), grossCents: Cents }),
  paidInCents: Cents,
  paidOutCents: Cents,
  expectedCashCents: Cents,
};

/** The open shift's report now; changes nothing. */
export const XReport = Type.Object({
  ...figures,
  /** The moment the figures stand for. */
  at: Timestamp,
  /** Opened by a sale rung with no shift open (float 0). */
  autoOpened: Type.Boolean(),
});

/** The Z: the shift's figures as it closed, numbered 1, 2, 3… per venue; reprinted, never edited. */
export const ZReport = Type.Object({
  id: Uuid,
  number: Type.Integer(),
  ...figures,
  closedAt: Timestamp,
  closedBy: Who,
  countedCashCents: Cents,
  /** counted − expected: negative, the drawer is short. */
  overShortCents: Cents,
  note: Nullable(Type.String()),
});

export const Shift = Type.Object({
  id: Uuid,
  openedAt: Timestamp,
  openedBy: Who,
  floatCents: Cents,
  autoOpened: Type.Boolean(),
});

export const CashMovement = Type.Object({
  id: Uuid,
  shiftId: Uuid,
  kind: Type.Union([Type.Literal('paid_in'), Type.Literal('paid_out')]),
  amountCents: Cents,
  reason: Type.String(),
  at: Timestamp,
  by: Who,
});

export const shiftsActions = {
  /**
   * Anyone on the till: the person opening the bar counts the float into the
   * drawer. One open shift per venue (409 otherwise).
   */
  'shifts.startShift': defineAction({
    kind: 'write',
    auth: 'session',
    request: Type.Object({ floatCents: Amount(0) }, { additionalProperties: false }),
    reply: Shift,
  }),
  /** Managers: cash into the drawer (change brought in) or out of it (a delivery paid from the till). */
  'shifts.recordCashMovement': defineAction({
    kind: 'write',
    auth: 'session',
    role: 'manager',
    request: Type.Object(
      {
        kind: Type.Union([Type.Literal('paid_in'), Type.Literal('paid_out')]),
        amountCents: Amount(1),
        reason: Text(200),
      },
      { additionalProperties: false },
    ),
    reply: CashMovement,
  }),
  /** Managers: the open shift's report now (404 when no shift is open). */
  'shifts.getXReport': defineAction({
    kind: 'read',
    auth: 'session',
    role: 'manager',
    request: Type.Object({}, { additionalProperties: false }),
    reply: XReport,
  }),
  /**
   * Managers: closes the open shift with the drawer's count and answers its
   * Z. 409 while a tab is open (naming them) or when no shift is open (a
   * second manager closing at the same moment gets this, naming the Z the
   * first made). Over or short by more than CASH_VARIANCE_NOTE_CENTS needs
   * a note (400 naming note).
   */
  'shifts.closeShift': defineAction({
    kind: 'write',
    auth: 'session',
    role: 'manager',
    request: Type.Object(
      { countedCashCents: Amount(0), note: Type.Optional(Text(500)) },
      { additionalProperties: false },
    ),
    reply: ZReport,
  }),
  /** Managers: Z reports, newest first, a page at a time. */
  'shifts.listZReports': defineAction({
    kind: 'read',
    auth: 'session',
    role: 'manager',
    request: Type.Object({ ...pageRequest }, { additionalProperties: false }),
    reply: pageOf(ZReport),
  }),
  'shifts.getZReport': defineAction({
    kind: 'read',
    auth: 'session',
    role: 'manager',
    request: Type.Object({ id: Uuid }, { additionalProperties: false }),
    reply: ZReport,
  }),
};
