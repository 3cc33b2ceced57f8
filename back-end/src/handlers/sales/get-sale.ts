import { saleById } from '../../queries/till.js';
import { defineHandler } from '../types.js';

export default defineHandler({
  action: 'sales.getSale',
  async handle(db, input, ctx) {
    return saleById(db, ctx.actor.venueId, input.id);
  },
});
