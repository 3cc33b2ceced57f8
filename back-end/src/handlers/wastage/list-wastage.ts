import { PAGE_LIMIT_DEFAULT } from '@barback/messaging';
import { decodeCursor, encodeCursor } from '../../domain/cursor.js';
import { wastageBetween } from '../../queries/wastage.js';
import { defineHandler } from '../types.js';

/** Wastage recorded in [from, to), of one reason or all, newest first, a page at a time (keyset cursor, decision 15). */
export default defineHandler({
  action: 'wastage.listWastage',
  async handle(db, input, ctx) {
    const after = input.cursor === undefined ? null : decodeCursor('wastage', input.cursor);
    const page = await wastageBetween(db, ctx.actor.venueId, {
      from: input.from ? new Date(input.from) : null,
      to: input.to ? new Date(input.to) : null,
      reason: input.reason ?? null,
      after,
      limit: input.limit ?? PAGE_LIMIT_DEFAULT,
    });
    return { items: page.items, nextCursor: page.nextKey && encodeCursor('wastage', page.nextKey) };
  },
});
