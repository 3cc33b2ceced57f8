import { requestedRange } from '../../domain/vat-return.js';
import { vatWorkings } from '../../queries/vat.js';
import { defineHandler } from '../types.js';

/**
 * Managers: every sale, refund and delivery a return counts, one row per
 * document and rate (the /vat/workings.csv export). Read from the documents
 * themselves, so it checks the day totals the return is read from.
 */
export default defineHandler({
  action: 'vat.getVatWorkings',
  async handle(db, input, ctx) {
    const range = requestedRange(input);
    return { ...range, items: await vatWorkings(db, ctx.actor.venueId, range.from, range.to) };
  },
});
