import { EVENTS_LIMIT_DEFAULT } from '@barback/messaging';
import { decodeCursor, encodeCursor } from '../../domain/cursor.js';
import { venueEvents } from '../../queries/outbox.js';
import { defineHandler } from '../types.js';

/**
 * The venue's history from the outbox, in the order the relay placed it:
 * positions are given only to committed events, one batch after another, so
 * an event placed after a reader's cursor can never be placed before it, and
 * paging on by nextCursor skips nothing. Another venue's events are not in
 * the query at all (venue_id is the index's first column).
 */
export default defineHandler({
  action: 'events.listEvents',
  async handle(db, input, ctx) {
    const limit = input.limit ?? EVENTS_LIMIT_DEFAULT;
    const after = input.after === undefined ? null : decodeCursor('events', input.after, 'after').id;
    const placed = await venueEvents(db, {
      venueId: ctx.actor.venueId,
      after,
      from: input.from ?? null,
      types: input.type ?? null,
      limit,
    });
    const items = placed.map(({ position, event }) => ({ cursor: encodeCursor('events', { at: event.occurredAt, id: position }), ...event }));
    const last = items[items.length - 1];
    // Where to ask next: after the last event given, or where the caller already was.
    return { items, nextCursor: last?.cursor ?? input.after ?? null };
  },
});
