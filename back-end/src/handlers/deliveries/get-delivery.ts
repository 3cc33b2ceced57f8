import { Errors, withField } from '@barback/messaging';
import { deliveryById } from '../../queries/deliveries.js';
import { defineHandler } from '../types.js';

/** One delivery with its lines; another venue's id is not found, like an unknown one. */
export default defineHandler({
  action: 'deliveries.getDelivery',
  async handle(db, input, ctx) {
    const delivery = await deliveryById(db, ctx.actor.venueId, input.id);
    if (!delivery) throw withField(new Errors.notFound('Delivery'), 'id');
    return delivery;
  },
});
