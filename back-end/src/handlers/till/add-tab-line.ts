import { lineDescription } from '../../domain/sale.js';
import { drawPerServing } from '../../domain/catalogue.js';
import { adjustStock } from '../../queries/catalogue.js';
import { insertTabLine, lockOpenTab, servingForSale, tabById } from '../../queries/till.js';
import { defineHandler } from '../types.js';

/**
 * Rings up serving × quantity at today's price and draws it from stock (it
 * has been poured); the draw goes with the commit. Its VAT is fixed when the
 * tab is paid.
 */
export default defineHandler({
  action: 'till.addTabLine',
  async handle(db, input, ctx) {
    const actor = ctx.actor;
    await lockOpenTab(db, actor.venueId, input.tabId);
    const serving = await servingForSale(db, actor.venueId, input.servingId);
    const drawUnits = drawPerServing(serving.ml, serving.unit_ml) * input.quantity;
    const lineId = await insertTabLine(db, actor, input.tabId, {
      servingId: input.servingId,
      productId: serving.product_id,
      description: lineDescription(serving.product_name, serving.serving_name),
      quantity: input.quantity,
      unitPriceCents: serving.price_cents,
      grossCents: serving.price_cents * input.quantity,
      vatClass: serving.vat_class,
      drawUnits,
    });
    ctx.withCommit(adjustStock(db, actor.venueId, serving.product_id, -drawUnits));
    const tab = await tabById(db, actor.venueId, input.tabId);
    const line = tab.lines.find((l) => l.id === lineId);
    if (!line) throw new Error('a line vanished from its tab inside its own transaction');
    ctx.emit('tab.lineAdded', { aggregateId: tab.id, data: { tabId: tab.id, line, tabGrossCents: tab.grossCents } });
    return tab;
  },
});
