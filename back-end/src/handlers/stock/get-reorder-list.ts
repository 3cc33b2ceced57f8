import { reorderList } from '../../queries/reorder.js';
import { defineHandler } from '../types.js';

/** Products below par grouped by the supplier of their last invoice, with what to order and its cost. */
export default defineHandler({
  action: 'stock.getReorderList',
  handle(db, _input, ctx) {
    return reorderList(db, ctx.actor.venueId);
  },
});
