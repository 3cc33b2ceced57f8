import { Errors } from '@barback/messaging';
import { euro } from '../../domain/z-report.js';
import { recordAudit } from '../../queries/audit.js';
import { insertShift, isOneOpenShiftViolation, openShift } from '../../queries/shifts.js';
import { defineHandler } from '../types.js';

/**
 * Anyone on the till may start a shift: in a pub the first bartender in
 * counts the float into the drawer and opens up, with no manager there. (A
 * bartender refused here would ring the first sale anyway, which opens a
 * shift with a float of 0 and loses the float from the cash-up.) One open
 * shift per venue: the partial unique index settles two starts at once.
 */
export default defineHandler({
  action: 'shifts.startShift',
  async handle(db, input, ctx) {
    const actor = ctx.actor;
    const refuse = () => new Errors.conflict('A shift is already open: a manager closes it with its Z before another starts.');
    if (await openShift(db, actor.venueId)) throw refuse();
    let shift;
    try {
      shift = await insertShift(db, actor.venueId, actor.staffId, input.floatCents);
    } catch (err) {
      if (isOneOpenShiftViolation(err)) throw refuse();
      throw err;
    }
    await recordAudit(db, {
      venueId: actor.venueId,
      staffId: actor.staffId,
      action: 'shift.start',
      entityType: 'shift',
      entityId: shift.id,
      details: { floatCents: input.floatCents, float: euro(input.floatCents) },
    });
    const reply = {
      id: shift.id,
      openedAt: shift.openedAt.toISOString(),
      openedBy: shift.openedBy,
      floatCents: shift.floatCents,
      autoOpened: shift.autoOpened,
    };
    ctx.emit('shift.started', { aggregateId: shift.id, data: reply });
    return reply;
  },
});
