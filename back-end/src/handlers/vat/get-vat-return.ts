import { buildVatReturn, requestedRange } from '../../domain/vat-return.js';
import { openTabsOpenedBy, vatMonthSums } from '../../queries/vat.js';
import { defineHandler } from '../types.js';

/**
 * Managers: the VAT3 for a two-month period, or from–to, from the day totals
 * kept by migration 0020's triggers (never the sales themselves), worked out
 * by domain/vat-return.ts. A read like any other: it goes to the standby once
 * the standby has replayed the caller's own last write (decision 5); another
 * till's sale committed a few milliseconds earlier may be missing from a
 * period still running, which is no return anyone files.
 */
export default defineHandler({
  action: 'vat.getVatReturn',
  async handle(db, input, ctx) {
    const range = requestedRange(input);
    const venueId = ctx.actor.venueId;
    const [rows, openTabs] = [await vatMonthSums(db, venueId, range.from, range.to), await openTabsOpenedBy(db, venueId, range.to)];
    return buildVatReturn(range, rows, openTabs);
  },
});
