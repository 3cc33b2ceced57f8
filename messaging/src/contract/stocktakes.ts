import { Type } from '@sinclair/typebox';
import { defineAction } from './define.js';
import { Instant, Nullable, Timestamp, Uuid } from './common.js';
import { Category } from './catalogue.js';

const Who = Type.Object({ id: Uuid, name: Type.String() });

/** One product's count: as entered, and in stock units (exact to 8 places: a weight's share need not end). */
export const StocktakeCount = Type.Object({
  stocktakeId: Uuid,
  productId: Uuid,
  name: Type.String(),
  category: Category,
  /** null: not counted, taken at the system's figure when the stocktake closed (uncounted: "expected"). */
  fullUnits: Nullable(Type.Integer()),
  partialTenths: Nullable(Type.Integer()),
  partialGrams: Nullable(Type.Integer()),
  countedUnits: Type.Number(),
  fromExpected: Type.Boolean(),
  /** The stock the system expected at countedAt; null until the stocktake closes. */
  expectedUnits: Nullable(Type.Number()),
  countedBy: Nullable(Who),
  recordedAt: Timestamp,
});

export const UncountedProduct = Type.Object({ productId: Uuid, name: Type.String(), category: Category });

export const Stocktake = Type.Object({
  id: Uuid,
  /** The instant the count stands for: sales rung after it count after it. */
  countedAt: Timestamp,
  status: Type.Union([Type.Literal('open'), Type.Literal('closed')]),
  startedAt: Timestamp,
  startedBy: Who,
  closedAt: Nullable(Timestamp),
  closedBy: Nullable(Who),
  /** By category, then the till's order. */
  counts: Type.Array(StocktakeCount),
  /** Products not counted yet (open), by category then the till's order; empty once closed. */
  uncounted: Type.Array(UncountedProduct),
});

const Units = Type.Number();
const Cents = Type.Integer();

export const VarianceLine = Type.Object({
  productId: Uuid,
  name: Type.String(),
  category: Category,
  unitMl: Nullable(Type.Number()),
  /** The cost per stock unit at countedAt, which prices the variance and the cost of sales. */
  unitCostCents: Cents,
  openingUnits: Units,
  /** Invoices less credit notes. */
  deliveredUnits: Units,
  wastedUnits: Units,
  closingUnits: Units,
  /** opening + delivered − wasted − closing. */
  usedUnits: Units,
  /** What the sales rung in the period drew, net of voids (a refund puts no drink back). */
  soldUnits: Units,
  /** sold − used: negative, more left the cellar than was rung in or written off. */
  varianceUnits: Units,
  varianceCostCents: Cents,
  varianceRetailCents: Cents,
  /** variance / used × 100 to one decimal; null when nothing was used. */
  variancePercent: Nullable(Type.Number()),
  salesNetCents: Cents,
  costOfSalesCents: Cents,
  /** Draught only (null otherwise): the variance and what was used in pints of 568 ml. */
  variancePints: Nullable(Type.Number()),
  usedPints: Nullable(Type.Number()),
  /** The closing figure is the system's, not a count (closed with uncounted: "expected"). */
  closingFromExpected: Type.Boolean(),
});

export const VARIANCE_FAULTS = [
  'soldNeverDeliveredOrCounted',
  'deliveryAfterCount',
  'countFarFromExpected',
  'servingWithoutMl',
  'uncountedTakenAsExpected',
] as const;

export const VarianceFault = Type.Object({
  kind: Type.Union(VARIANCE_FAULTS.map((k) => Type.Literal(k))),
  productId: Nullable(Uuid),
  message: Type.String(),
});

export const VarianceReport = Type.Object({
  stocktakeId: Uuid,
  /** The previous closed stocktake's countedAt, or the venue's first stock move (opening 0). */
  from: Timestamp,
  to: Timestamp,
  /** Biggest loss at cost first. */
  lines: Type.Array(VarianceLine),
  totals: Type.Object({
    varianceCostCents: Cents,
    varianceRetailCents: Cents,
    salesNetCents: Cents,
    costOfSalesCents: Cents,
    /** costOfSales / salesNet × 100 to one decimal; null when nothing was sold. */
    pourCostPercent: Nullable(Type.Number()),
  }),
  faults: Type.Array(VarianceFault),
});

const StocktakeId = Type.Object({ id: Uuid }, { additionalProperties: false });

export const StocktakeSummary = Type.Object({
  id: Uuid,
  countedAt: Timestamp,
  status: Type.Union([Type.Literal('open'), Type.Literal('closed')]),
  closedAt: Nullable(Timestamp),
  counted: Type.Integer(),
});

export const stocktakesActions = {
  /** Managers: one open stocktake per venue (409 otherwise); countedAt defaults to now, and comes after the last closed one's. */
  'stocktakes.startStocktake': defineAction({
    kind: 'write',
    auth: 'session',
    role: 'manager',
    request: Type.Object({ countedAt: Type.Optional(Instant) }, { additionalProperties: false }),
    reply: Stocktake,
  }),
  /**
   * Anyone on shift: full containers and at most one partial, as tenths or as
   * its gross weight in grams ((grams − empty) / (full − empty) of the
   * product's weights). Counting a product again replaces its count.
   */
  'stocktakes.recordCount': defineAction({
    kind: 'write',
    auth: 'session',
    request: Type.Object(
      {
        stocktakeId: Uuid,
        productId: Uuid,
        fullUnits: Type.Integer({ minimum: 0, maximum: 100_000 }),
        partialTenths: Type.Optional(Type.Integer({ minimum: 0, maximum: 9 })),
        partialGrams: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000 })),
      },
      { additionalProperties: false },
    ),
    reply: StocktakeCount,
  }),
  /** Anyone on shift: the open stocktake first (to find the count sheet), then the latest 50 closed, newest first. */
  'stocktakes.listStocktakes': defineAction({
    kind: 'read',
    auth: 'session',
    request: Type.Object({}, { additionalProperties: false }),
    reply: Type.Object({ items: Type.Array(StocktakeSummary) }),
  }),
  /** Anyone on shift: the counts so far and what is still uncounted. */
  'stocktakes.getStocktake': defineAction({
    kind: 'read',
    auth: 'session',
    request: StocktakeId,
    reply: Stocktake,
  }),
  /**
   * Managers: sets each product's stock to its count as of countedAt (a
   * stocktake_adjustment of counted − expected at countedAt). Uncounted
   * products refuse it (400 listing them) unless uncounted is "expected".
   */
  'stocktakes.closeStocktake': defineAction({
    kind: 'write',
    auth: 'session',
    role: 'manager',
    request: Type.Object(
      { stocktakeId: Uuid, uncounted: Type.Optional(Type.Literal('expected')) },
      { additionalProperties: false },
    ),
    reply: Stocktake,
  }),
  /** Managers: a closed stocktake's variance over the period since the previous closed one. */
  'stocktakes.getVarianceReport': defineAction({
    kind: 'read',
    auth: 'session',
    role: 'manager',
    request: StocktakeId,
    reply: VarianceReport,
  }),
};
