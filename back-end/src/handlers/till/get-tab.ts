import { tabById } from '../../queries/till.js';
import { defineHandler } from '../types.js';

export default defineHandler({
  action: 'till.getTab',
  async handle(db, input, ctx) {
    return tabById(db, ctx.actor.venueId, input.id);
  },
});
