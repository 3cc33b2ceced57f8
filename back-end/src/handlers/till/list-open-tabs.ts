import { loadTabs } from '../../queries/till.js';
import { defineHandler } from '../types.js';

export default defineHandler({
  action: 'till.listOpenTabs',
  async handle(db, _input, ctx) {
    const items = await loadTabs(db, ctx.actor!.venueId, "t.status = 'open' ORDER BY t.opened_at, t.id", []);
    return { items };
  },
});
