import { Errors } from '@barback/messaging';
import { shiftFigures } from '../../domain/z-report.js';
import { openShift, shiftTotals } from '../../queries/shifts.js';
import { defineHandler } from '../types.js';

/** The open shift's figures now, from its totals (never the history); changes nothing. 404: no shift is open. */
export default defineHandler({
  action: 'shifts.getXReport',
  async handle(db, _input, ctx) {
    const at = new Date();
    const shift = await openShift(db, ctx.actor.venueId);
    if (!shift) throw new Errors.notFound('Open shift');
    const totals = await shiftTotals(db, shift.id);
    return { ...shiftFigures(shift, totals), at: at.toISOString(), autoOpened: shift.autoOpened };
  },
});
