import { PAGE_LIMIT_DEFAULT } from '@barback/messaging';
import { decodeCursor, encodeCursor } from '../../domain/cursor.js';
import { zReportsPage } from '../../queries/shifts.js';
import { defineHandler } from '../types.js';

/** Z reports newest first, a page at a time (keyset on closed_at, id). */
export default defineHandler({
  action: 'shifts.listZReports',
  async handle(db, input, ctx) {
    const after = input.cursor ? decodeCursor('zReports', input.cursor) : null;
    const page = await zReportsPage(db, ctx.actor.venueId, { after, limit: input.limit ?? PAGE_LIMIT_DEFAULT });
    return { items: page.items, nextCursor: page.nextKey ? encodeCursor('zReports', page.nextKey) : null };
  },
});
