import { recordAudit } from '../../queries/audit.js';
import { getProduct, lockCatalogueOrder, placeInCategory, setArchived } from '../../queries/catalogue.js';
import { defineHandler } from '../types.js';

/**
 * Puts an archived product back on the till, last in its category, with the
 * servings and prices it had. Restoring a product that is not archived
 * changes and records nothing.
 */
export default defineHandler({
  action: 'catalogue.restoreProduct',
  async handle(db, input, ctx) {
    const actor = ctx.actor;
    await lockCatalogueOrder(db, actor.venueId);
    const product = await getProduct(db, actor.venueId, input.id);
    const restoredNow = await setArchived(db, actor.venueId, input.id, false);
    if (restoredNow) {
      await placeInCategory(db, actor.venueId, input.id, product.category, null);
      await recordAudit(db, {
        venueId: actor.venueId,
        staffId: actor.staffId,
        action: 'product.restore',
        entityType: 'product',
        entityId: input.id,
        details: { product: product.name },
      });
    }
    const after = await getProduct(db, actor.venueId, input.id);
    if (restoredNow) ctx.emit('product.restored', { aggregateId: input.id, data: after });
    return after;
  },
});
