import { Type } from '@sinclair/typebox';
import { defineAction } from './define.js';
import { PaymentMethod, Timestamp, Uuid } from './common.js';
import { PlacedEvent } from './events.js';

/** How many of the venue's latest events the dashboard's feed shows. */
export const DASHBOARD_FEED_LENGTH = 20;

/** The venue's business day: from the rollover hour on its date to the same hour the next day, in the venue's zone. */
export const BusinessDay = Type.Object({
  /** The calendar date the day is named by (YYYY-MM-DD): a sale at 02:00 belongs to the day before. */
  date: Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' }),
  startsAt: Timestamp,
  endsAt: Timestamp,
  timeZone: Type.String(),
  startHour: Type.Integer(),
});

export const DashboardTakings = Type.Object({
  /** Sales less refunds, in cents: what the day has taken. */
  grossCents: Type.Integer(),
  salesCents: Type.Integer(),
  /** Zero or negative: the refunds made during the day, whatever day their sale was. */
  refundsCents: Type.Integer(),
  saleCount: Type.Integer(),
  /** Payments less refunds per method; a refund goes back the way its sale was paid (split in proportion for a split bill). */
  byMethod: Type.Array(Type.Object({ method: PaymentMethod, cents: Type.Integer() })),
});

export const DashboardProduct = Type.Object({
  productId: Uuid,
  name: Type.String(),
  /** Servings sold less servings refunded during the day. */
  servings: Type.Integer(),
  grossCents: Type.Integer(),
});

export const LowStockItem = Type.Object({
  productId: Uuid,
  name: Type.String(),
  /** In the product's stock units (a 50 l keg, a bottle…). */
  onHandUnits: Type.Number(),
  parUnits: Type.Number(),
  /** ceil(par − on hand): whole stock units to order. */
  orderUnits: Type.Integer(),
  /** The stock unit's size in ml, or null when counted in units. */
  unitMl: Type.Union([Type.Number(), Type.Null()]),
});

export const Dashboard = Type.Object({
  businessDay: BusinessDay,
  takings: DashboardTakings,
  /** Most taken first. */
  products: Type.Array(DashboardProduct),
  openTabs: Type.Object({ count: Type.Integer(), grossCents: Type.Integer() }),
  /** Below par now, most to order first. */
  lowStock: Type.Array(LowStockItem),
  /** The venue's latest events, newest first. */
  events: Type.Array(PlacedEvent),
});

export const dashboardActions = {
  /**
   * The manager's view of the business day so far. Read on the primary: the
   * page asks again the moment the change stream announces a sale, and a
   * standby a few milliseconds behind would answer without it.
   */
  'dashboard.getDashboard': defineAction({
    kind: 'read',
    consistency: 'primary',
    auth: 'session',
    role: 'manager',
    request: Type.Object({}, { additionalProperties: false }),
    reply: Dashboard,
  }),
};
