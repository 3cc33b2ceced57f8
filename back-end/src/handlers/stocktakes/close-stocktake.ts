import { Errors, withField } from '@barback/messaging';
import { closeStocktakeRows, loadStocktake, lockStocktake, uncountedProducts } from '../../queries/stocktakes.js';
import { defineHandler } from '../types.js';

/**
 * Managers: sets each product's stock to its count as of countedAt with one
 * stocktake_adjustment move of (counted − expected at countedAt), computed
 * from the ledger (queries/stocktakes.ts closeStocktakeRows). Products still
 * uncounted refuse it, named in the 400, unless the manager says to take the
 * system's figure for them (uncounted: "expected", flagged in the report).
 */
export default defineHandler({
  action: 'stocktakes.closeStocktake',
  async handle(db, input, ctx) {
    const actor = ctx.actor;
    const stocktake = await lockStocktake(db, actor.venueId, input.stocktakeId, 'update');
    if (!stocktake) throw withField(new Errors.notFound('Stocktake'), 'stocktakeId');
    if (stocktake.closed) throw new Errors.conflict('This stocktake is already closed.');
    const uncounted = await uncountedProducts(db, actor.venueId, input.stocktakeId);
    if (uncounted.length > 0 && input.uncounted !== 'expected') {
      const names = uncounted.map((p) => p.name).join(', ');
      throw withField(
        new Errors.validation(`Not counted yet (${uncounted.length}): ${names}. Count them, or close with uncounted "expected" to take the system's figure for them.`),
        'uncounted',
      );
    }
    await closeStocktakeRows(db, { venueId: actor.venueId, stocktakeId: input.stocktakeId, countedAt: stocktake.countedAt, staffId: actor.staffId });
    const closed = await loadStocktake(db, actor.venueId, input.stocktakeId);
    if (!closed) throw new Error('a stocktake just closed was not found');
    ctx.emit('stocktake.closed', { aggregateId: input.stocktakeId, data: closed });
    return closed;
  },
});
