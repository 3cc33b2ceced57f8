import { Errors, withField } from '@barback/messaging';
import { wastageAmount } from '../../domain/stock-control.js';
import { insertWastage, isServingOf, productForWastage } from '../../queries/wastage.js';
import { defineHandler } from '../types.js';

/**
 * Stock written off, by anyone on shift: the record and its stock move
 * (cause wastage) in one statement, so the stock is out from the commit on.
 */
export default defineHandler({
  action: 'wastage.recordWastage',
  async handle(db, input, ctx) {
    const actor = ctx.actor;
    const amount = wastageAmount(input);
    const note = input.note?.trim() ?? null;
    if (input.reason === 'other' && note === null) throw withField(new Errors.validation('Say what happened in a note when the reason is other.'), 'note');
    const product = await productForWastage(db, actor.venueId, input.productId);
    if (!product) throw withField(new Errors.notFound('Product'), 'productId');
    if ('ml' in amount && product.unit_ml === null) {
      throw withField(new Errors.validation('This product is counted in whole units, not ml: give units or a serving.'), 'ml');
    }
    if ('servingId' in amount && !(await isServingOf(db, actor.venueId, input.productId, amount.servingId))) {
      throw withField(new Errors.notFound('Serving'), 'servingId');
    }
    const wastage = await insertWastage(db, {
      venueId: actor.venueId,
      productId: input.productId,
      reason: input.reason,
      note,
      ml: 'ml' in amount ? amount.ml : null,
      units: 'units' in amount ? (Number(amount.units) / 1000).toFixed(3) : null,
      servingId: 'servingId' in amount ? amount.servingId : null,
      servings: 'servingId' in amount ? amount.servings : null,
      staffId: actor.staffId,
      staffName: actor.name,
    });
    ctx.emit('wastage.recorded', { aggregateId: wastage.id, data: wastage });
    return wastage;
  },
});
