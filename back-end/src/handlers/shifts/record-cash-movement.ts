import { euro } from '../../domain/z-report.js';
import { recordAudit } from '../../queries/audit.js';
import { insertCashMovement } from '../../queries/shifts.js';
import { defineHandler } from '../types.js';

/**
 * Managers only: cash leaving the drawer other than as change or a refund
 * is where a till goes short, so it takes someone who answers for the
 * cash-up, with a reason, and is audited. It lands in the open shift (one
 * is opened, float 0, if none is: the drawer is in use either way).
 */
export default defineHandler({
  action: 'shifts.recordCashMovement',
  async handle(db, input, ctx) {
    const actor = ctx.actor;
    const reason = input.reason.trim();
    const movement = await insertCashMovement(db, {
      venueId: actor.venueId,
      staffId: actor.staffId,
      kind: input.kind,
      amountCents: input.amountCents,
      reason,
    });
    await recordAudit(db, {
      venueId: actor.venueId,
      staffId: actor.staffId,
      action: input.kind === 'paid_in' ? 'cash.paidIn' : 'cash.paidOut',
      entityType: 'shift',
      entityId: movement.shiftId,
      reason,
      details: { movementId: movement.id, amountCents: input.amountCents, amount: euro(input.amountCents) },
    });
    ctx.emit('cash.moved', { aggregateId: movement.shiftId, data: movement });
    return movement;
  },
});
