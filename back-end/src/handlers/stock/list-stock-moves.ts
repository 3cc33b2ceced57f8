import { Errors, PAGE_LIMIT_DEFAULT, withField } from '@barback/messaging';
import { decodeCursor, encodeCursor } from '../../domain/cursor.js';
import { isVenueProduct, stockMovesOf } from '../../queries/reorder.js';
import { defineHandler } from '../types.js';

/** A product's stock movements newest first with cause, who, when and the running balance (keyset cursor, decision 15). */
export default defineHandler({
  action: 'stock.listStockMoves',
  async handle(db, input, ctx) {
    const venueId = ctx.actor.venueId;
    if (!(await isVenueProduct(db, venueId, input.productId))) throw withField(new Errors.notFound('Product'), 'productId');
    const after = input.cursor === undefined ? null : decodeCursor('stockMoves', input.cursor);
    const page = await stockMovesOf(db, venueId, input.productId, { after, limit: input.limit ?? PAGE_LIMIT_DEFAULT });
    return { items: page.items, nextCursor: page.nextKey && encodeCursor('stockMoves', page.nextKey) };
  },
});
