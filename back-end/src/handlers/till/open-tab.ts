import { insertTab, tabById } from '../../queries/till.js';
import { defineHandler } from '../types.js';

export default defineHandler({
  action: 'till.openTab',
  async handle(db, input, ctx) {
    const actor = ctx.actor;
    const id = await insertTab(db, actor, input.name.trim());
    const tab = await tabById(db, actor.venueId, id);
    ctx.emit('tab.opened', { aggregateId: id, data: tab });
    return tab;
  },
});
