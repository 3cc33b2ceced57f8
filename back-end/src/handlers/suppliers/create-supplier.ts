import { Errors, withField } from '@barback/messaging';
import { insertSupplier, isDuplicateSupplier } from '../../queries/suppliers.js';
import { defineHandler } from '../types.js';

/** A supplier of the venue; its name is unique in the venue, whatever its case (409 naming `name`). */
export default defineHandler({
  action: 'suppliers.createSupplier',
  async handle(db, input, ctx) {
    const name = input.name.trim();
    let supplier;
    try {
      supplier = await insertSupplier(db, ctx.actor.venueId, {
        name,
        vatNumber: input.vatNumber?.trim() ?? null,
        email: input.email ?? null,
        phone: input.phone?.trim() ?? null,
      });
    } catch (err) {
      if (isDuplicateSupplier(err)) throw withField(new Errors.nameTaken(`There is already a supplier called ${name}.`), 'name');
      throw err;
    }
    ctx.emit('supplier.created', { aggregateId: supplier.id, data: supplier });
    return supplier;
  },
});
