import { venueSettings } from '../../queries/venue.js';
import { defineHandler } from '../types.js';

export default defineHandler({
  action: 'venue.getSettings',
  async handle(db, _input, ctx) {
    return venueSettings(db, ctx.actor.venueId);
  },
});
