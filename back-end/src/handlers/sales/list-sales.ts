import { PAGE_LIMIT_DEFAULT } from '@barback/messaging';
import { decodeCursor, encodeCursor } from '../../domain/cursor.js';
import { salesClosedBetween } from '../../queries/till.js';
import { defineHandler } from '../types.js';

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Sales closed in [from, to), newest first, a page at a time; without from
 * and to, the last 24 hours. The cursor is checked here, before any SQL: a
 * malformed one is a 400 naming the field.
 */
export default defineHandler({
  action: 'sales.listSales',
  async handle(db, input, ctx) {
    const after = input.cursor === undefined ? null : decodeCursor('sales', input.cursor);
    const to = input.to ? new Date(input.to) : new Date();
    const from = input.from ? new Date(input.from) : new Date(to.getTime() - DAY_MS);
    const limit = input.limit ?? PAGE_LIMIT_DEFAULT;
    const page = await salesClosedBetween(db, ctx.actor.venueId, { from, to, after, limit });
    return { items: page.items, nextCursor: page.nextKey && encodeCursor('sales', page.nextKey) };
  },
});
