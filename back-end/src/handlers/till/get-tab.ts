import { getTab } from '../../queries/till.js';
import { defineHandler } from '../types.js';

export default defineHandler({
  action: 'till.getTab',
  async handle(db, input, ctx) {
    return getTab(db, ctx.actor!.venueId, input.id);
  },
});
