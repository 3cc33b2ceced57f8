import { getProduct } from '../../queries/catalogue.js';
import { defineHandler } from '../types.js';

export default defineHandler({
  action: 'catalogue.getProduct',
  async handle(db, input, ctx) {
    return getProduct(db, ctx.actor.venueId, input.id);
  },
});
