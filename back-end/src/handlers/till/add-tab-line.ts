import { addLine, getTab, lockOpenTab } from '../../queries/till.js';
import { defineHandler } from '../types.js';

export default defineHandler({
  action: 'till.addTabLine',
  async handle(db, input, ctx) {
    const actor = ctx.actor!;
    await lockOpenTab(db, actor.venueId, input.tabId);
    await addLine(db, actor, input.tabId, input.servingId, input.quantity, ctx.withCommit);
    return getTab(db, actor.venueId, input.tabId);
  },
});
