import { stocktakeSummaries } from '../../queries/stocktakes.js';
import { defineHandler } from '../types.js';

/** The open stocktake first (where the count sheet is), then the latest closed ones. */
export default defineHandler({
  action: 'stocktakes.listStocktakes',
  async handle(db, _input, ctx) {
    const items = await stocktakeSummaries(db, ctx.actor.venueId);
    // 51 read so the open one never pushes the 50th closed one out: at most one is open.
    return { items: items.slice(0, items[0]?.status === 'open' ? 51 : 50) };
  },
});
