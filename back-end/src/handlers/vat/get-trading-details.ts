import { buildTradingDetails } from '../../domain/vat-return.js';
import { vatMonthSums } from '../../queries/vat.js';
import { defineHandler } from '../types.js';

/** Managers: the Return of Trading Details for a calendar year, from the day totals (migration 0020). */
export default defineHandler({
  action: 'vat.getTradingDetails',
  async handle(db, input, ctx) {
    return buildTradingDetails(input.year, await vatMonthSums(db, ctx.actor.venueId, `${input.year}-01-01`, `${input.year}-12-31`));
  },
});
