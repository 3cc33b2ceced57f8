import { listOpenTabs } from '../../queries/till.js';
import { defineHandler } from '../types.js';

export default defineHandler({
  action: 'till.listOpenTabs',
  async handle(db, _input, ctx) {
    return { items: await listOpenTabs(db, ctx.actor.venueId) };
  },
});
