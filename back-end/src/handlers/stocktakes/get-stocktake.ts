import { Errors } from '@barback/messaging';
import { loadStocktake } from '../../queries/stocktakes.js';
import { defineHandler } from '../types.js';

/** The counts so far and what is still uncounted; another venue's stocktake is not found. */
export default defineHandler({
  action: 'stocktakes.getStocktake',
  async handle(db, input, ctx) {
    const stocktake = await loadStocktake(db, ctx.actor.venueId, input.id);
    if (!stocktake) throw new Errors.notFound('Stocktake');
    return stocktake;
  },
});
