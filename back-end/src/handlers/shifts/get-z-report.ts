import { Errors } from '@barback/messaging';
import { zReportById } from '../../queries/shifts.js';
import { defineHandler } from '../types.js';

/** One Z as it was printed (kept whole, never recomputed); another venue's id answers 404 like an unknown one. */
export default defineHandler({
  action: 'shifts.getZReport',
  async handle(db, input, ctx) {
    const z = await zReportById(db, ctx.actor.venueId, input.id);
    if (!z) throw new Errors.notFound('Z report');
    return z;
  },
});
