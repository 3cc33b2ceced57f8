import { suppliersOfVenue } from '../../queries/suppliers.js';
import { defineHandler } from '../types.js';

/** Every supplier of the venue, by name: a venue has tens, not thousands, so one page. */
export default defineHandler({
  action: 'suppliers.listSuppliers',
  async handle(db, _input, ctx) {
    return { items: await suppliersOfVenue(db, ctx.actor.venueId) };
  },
});
