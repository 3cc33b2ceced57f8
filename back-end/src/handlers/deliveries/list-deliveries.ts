import { PAGE_LIMIT_DEFAULT } from '@barback/messaging';
import { decodeCursor, encodeCursor } from '../../domain/cursor.js';
import { deliveriesBetween } from '../../queries/deliveries.js';
import { defineHandler } from '../types.js';

/**
 * Deliveries recorded in [from, to), newest first, a page at a time (keyset
 * cursor, docs/architecture.md decision 15). Without from or to the list is
 * open at that end: a bar records a few deliveries a week.
 */
export default defineHandler({
  action: 'deliveries.listDeliveries',
  async handle(db, input, ctx) {
    const after = input.cursor === undefined ? null : decodeCursor('deliveries', input.cursor);
    const page = await deliveriesBetween(db, ctx.actor.venueId, {
      from: input.from ? new Date(input.from) : null,
      to: input.to ? new Date(input.to) : null,
      after,
      limit: input.limit ?? PAGE_LIMIT_DEFAULT,
    });
    return { items: page.items, nextCursor: page.nextKey && encodeCursor('deliveries', page.nextKey) };
  },
});
