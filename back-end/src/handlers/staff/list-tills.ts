import { listTills } from '../../queries/tills.js';
import { defineHandler } from '../types.js';

/** The venue's tills for the staff page, revoked ones included. */
export default defineHandler({
  action: 'staff.listTills',
  async handle(db, _input, ctx) {
    return { items: await listTills(db, ctx.actor.venueId) };
  },
});
