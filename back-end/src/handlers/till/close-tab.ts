import { closeTab, getSale, lockOpenTab } from '../../queries/till.js';
import { defineHandler } from '../types.js';

/** A second Pay on the same tab finds it closed (409); a replay with the same key gets the first sale back. */
export default defineHandler({
  action: 'till.closeTab',
  async handle(db, input, ctx) {
    const actor = ctx.actor!;
    await lockOpenTab(db, actor.venueId, input.tabId);
    await closeTab(db, actor, input.tabId, input.payments);
    return getSale(db, actor.venueId, input.tabId);
  },
});
