import { addLine, closeTab, getSale, insertTab } from '../../queries/till.js';
import { defineHandler } from '../types.js';

/** A quick sale: a tab opened, rung up and paid in one transaction, so nothing is left half done. */
export default defineHandler({
  action: 'till.recordSale',
  async handle(db, input, ctx) {
    const actor = ctx.actor!;
    const tabId = await insertTab(db, actor, input.name ?? 'Quick sale');
    for (const line of input.lines) await addLine(db, actor, tabId, line.servingId, line.quantity);
    await closeTab(db, actor, tabId, input.payments);
    return getSale(db, actor.venueId, tabId);
  },
});
