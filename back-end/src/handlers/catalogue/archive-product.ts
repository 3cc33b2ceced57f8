import { recordAudit } from '../../queries/audit.js';
import { getProduct, lockCatalogueOrder, renumberCategory, setArchived } from '../../queries/catalogue.js';
import { defineHandler } from '../types.js';

/**
 * Takes a product off the till and the catalogue's default list. Nothing is
 * deleted: its sales, open tab lines and audit entries keep pointing at it,
 * and catalogue.restoreProduct brings it back. The rest of its category close
 * up. Archiving an archived product changes and records nothing.
 */
export default defineHandler({
  action: 'catalogue.archiveProduct',
  async handle(db, input, ctx) {
    const actor = ctx.actor;
    await lockCatalogueOrder(db, actor.venueId);
    // Another venue's product answers 404 exactly like an unknown one.
    const product = await getProduct(db, actor.venueId, input.id);
    const archivedNow = await setArchived(db, actor.venueId, input.id, true);
    if (archivedNow) {
      await renumberCategory(db, actor.venueId, product.category);
      await recordAudit(db, {
        venueId: actor.venueId,
        staffId: actor.staffId,
        action: 'product.archive',
        entityType: 'product',
        entityId: input.id,
        details: { product: product.name },
      });
    }
    const after = await getProduct(db, actor.venueId, input.id);
    if (archivedNow) ctx.emit('product.archived', { aggregateId: input.id, data: after });
    return after;
  },
});
