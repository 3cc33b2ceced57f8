import { DASHBOARD_FEED_LENGTH } from '@barback/messaging';
import { businessDay } from '../../domain/business-day.js';
import { encodeCursor } from '../../domain/cursor.js';
import { takingsByMethod } from '../../domain/takings.js';
import { dayFigures } from '../../queries/dashboard.js';
import { latestVenueEvents } from '../../queries/outbox.js';
import { venueDayRule } from '../../queries/venue.js';
import { defineHandler } from '../types.js';

/**
 * The manager's dashboard: the venue's business day so far (its zone, its
 * start hour), open tabs and low stock as they are now, and the latest
 * events. Read on the primary (the contract): the page asks again the
 * moment the stream announces a change.
 */
export default defineHandler({
  action: 'dashboard.getDashboard',
  async handle(db, _input, ctx) {
    const venueId = ctx.actor.venueId;
    const [rule, placed] = await Promise.all([venueDayRule(db, venueId), latestVenueEvents(db, venueId, DASHBOARD_FEED_LENGTH)]);
    const day = businessDay(new Date(), rule.timeZone, rule.startHour);
    const figures = await dayFigures(db, venueId, day.startsAt, day.endsAt);
    return {
      businessDay: {
        date: day.date,
        startsAt: day.startsAt.toISOString(),
        endsAt: day.endsAt.toISOString(),
        timeZone: rule.timeZone,
        startHour: rule.startHour,
      },
      takings: {
        grossCents: figures.salesCents + figures.refundsCents,
        salesCents: figures.salesCents,
        refundsCents: figures.refundsCents,
        saleCount: figures.saleCount,
        byMethod: takingsByMethod(figures.payments, figures.refunds),
      },
      products: figures.products,
      openTabs: figures.openTabs,
      lowStock: figures.lowStock,
      // The same cursors as listEvents gives, so a client can resume the stream from the feed.
      events: placed.map(({ position, event }) => ({ cursor: encodeCursor('events', { at: event.occurredAt, id: position }), ...event })),
    };
  },
});
