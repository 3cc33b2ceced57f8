import { getSale } from '../../queries/till.js';
import { defineHandler } from '../types.js';

export default defineHandler({
  action: 'sales.getSale',
  async handle(db, input, ctx) {
    return getSale(db, ctx.actor!.venueId, input.id);
  },
});
