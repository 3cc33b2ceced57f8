import { Errors } from '@barback/messaging';
import { buildReport, deliveriesDatedAfter, varianceLines, variancePeriod, inReportTransaction } from '../../queries/variance.js';
import { defineHandler } from '../types.js';

/**
 * Managers: a closed stocktake's variance over the period since the previous
 * closed one (queries/variance.ts). An open stocktake has no closing figures
 * yet (409); another venue's is not found.
 */
export default defineHandler({
  action: 'stocktakes.getVarianceReport',
  async handle(db, input, ctx) {
    const venueId = ctx.actor.venueId;
    // One snapshot, with neither JIT compilation nor whole-table scans: why and what each cost in inReportTransaction.
    return inReportTransaction(db, async (q) => {
      const period = await variancePeriod(q, venueId, input.id);
      if (period === null) throw new Errors.notFound('Stocktake');
      if (period === 'open') throw new Errors.conflict('This stocktake is still open: close it to see its variance.');
      const [rows, late] = [await varianceLines(q, venueId, period), await deliveriesDatedAfter(q, venueId, period)];
      return buildReport(period, rows, late);
    });
  },
});
