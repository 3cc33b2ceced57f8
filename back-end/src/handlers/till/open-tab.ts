import { getTab, insertTab } from '../../queries/till.js';
import { defineHandler } from '../types.js';

export default defineHandler({
  action: 'till.openTab',
  async handle(db, input, ctx) {
    const id = await insertTab(db, ctx.actor!, input.name);
    return getTab(db, ctx.actor!.venueId, id);
  },
});
