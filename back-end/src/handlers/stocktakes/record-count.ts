import { Errors, withField } from '@barback/messaging';
import { countParts, partialOf } from '../../domain/stocktake.js';
import { lockStocktake, productForCount, upsertCount } from '../../queries/stocktakes.js';
import { defineHandler } from '../types.js';

/**
 * Anyone on shift counts: full containers plus one partial as tenths or as
 * its gross weight. Counting a product again replaces its count; a count
 * sent twice (a flaky cellar connection) is one request id, applied once by
 * dispatch. The stocktake is held for share, so counts go side by side but
 * none lands while it closes.
 */
export default defineHandler({
  action: 'stocktakes.recordCount',
  async handle(db, input, ctx) {
    const actor = ctx.actor;
    const stocktake = await lockStocktake(db, actor.venueId, input.stocktakeId, 'share');
    if (!stocktake) throw withField(new Errors.notFound('Stocktake'), 'stocktakeId');
    if (stocktake.closed) throw new Errors.conflict('This stocktake is closed: its counts can no longer change.');
    const product = await productForCount(db, actor.venueId, input.productId);
    if (!product) throw withField(new Errors.notFound('Product'), 'productId');
    const partial = partialOf(input, product);
    const count = await upsertCount(db, {
      stocktakeId: input.stocktakeId,
      venueId: actor.venueId,
      productId: input.productId,
      fullUnits: input.fullUnits,
      partialTenths: input.partialTenths ?? null,
      partialGrams: input.partialGrams ?? null,
      parts: countParts(input.fullUnits, partial),
      staffId: actor.staffId,
    });
    ctx.emit('stocktake.counted', { aggregateId: input.stocktakeId, data: count });
    return count;
  },
});
