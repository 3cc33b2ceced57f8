import { recordQuickSale } from '../../queries/quick-sale.js';
import { defineHandler } from '../types.js';

/** A quick sale: a tab opened, rung up and paid in one transaction, so nothing is left half done. */
export default defineHandler({
  action: 'sales.recordSale',
  async handle(db, input, ctx) {
    return recordQuickSale(db, ctx.actor!, input, ctx.withCommit);
  },
});
