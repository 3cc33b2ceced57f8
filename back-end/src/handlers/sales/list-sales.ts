import { loadSales } from '../../queries/till.js';
import { defineHandler } from '../types.js';

const DAY_MS = 24 * 60 * 60 * 1000;

/** Sales closed in [from, to); without them, the last 24 hours. At most 500, newest first. */
export default defineHandler({
  action: 'sales.listSales',
  async handle(db, input, ctx) {
    const to = input.to ? new Date(input.to) : new Date();
    const from = input.from ? new Date(input.from) : new Date(to.getTime() - DAY_MS);
    const items = await loadSales(db, ctx.actor!.venueId, 't.closed_at >= $2 AND t.closed_at < $3', [from, to]);
    return { items };
  },
});
