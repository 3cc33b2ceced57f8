import { listProductsReply } from '../../queries/catalogue.js';
import { defineHandler } from '../types.js';

export default defineHandler({
  action: 'catalogue.listProducts',
  async handle(db, _input, ctx) {
    return listProductsReply(db, ctx.actor!.venueId);
  },
});
