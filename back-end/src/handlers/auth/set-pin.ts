import { Errors } from '@barback/messaging';
import { recordAudit } from '../../queries/audit.js';
import { setPin } from '../../queries/pins.js';
import { defineHandler } from '../types.js';

/** Sets the caller's own till PIN (already hashed by the front end) and lifts any lock-out of it. */
export default defineHandler({
  action: 'auth.setPin',
  async handle(db, input, ctx) {
    const actor = ctx.actor;
    const set = await setPin(db, { venueId: actor.venueId, staffId: actor.staffId, pinHash: input.pinHash, setBy: actor.staffId });
    if (!set) throw new Errors.sessionInvalid();
    // Never the hash: the audit trail is readable by every manager.
    await recordAudit(db, {
      venueId: actor.venueId,
      staffId: actor.staffId,
      action: 'auth.pinChange',
      entityType: 'staff',
      entityId: actor.staffId,
      details: { name: set.name },
    });
    ctx.emit('staff.pinSet', { aggregateId: actor.staffId, data: { staffId: actor.staffId, name: set.name, setBy: actor.staffId } });
    return { staffId: actor.staffId, pinSetAt: set.setAt.toISOString() };
  },
});
