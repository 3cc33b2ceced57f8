import { PAGE_LIMIT_DEFAULT } from '@barback/messaging';
import { decodeCursor, encodeCursor } from '../../domain/cursor.js';
import { auditEntries } from '../../queries/audit.js';
import { defineHandler } from '../types.js';

/**
 * The venue's audit trail, newest first, a page at a time, filtered by time
 * range (from and to inclusive), action and who. The cursor is checked here,
 * before any SQL: a malformed one is a 400 naming the field.
 */
export default defineHandler({
  action: 'audit.listAuditEntries',
  async handle(db, input, ctx) {
    const after = input.cursor === undefined ? null : decodeCursor('audit', input.cursor);
    const { from, to, action, staffId } = input;
    const page = await auditEntries(db, ctx.actor.venueId, { from, to, action, staffId }, { after, limit: input.limit ?? PAGE_LIMIT_DEFAULT });
    return { items: page.items, nextCursor: page.nextKey && encodeCursor('audit', page.nextKey) };
  },
});
