import { recordAudit } from '../../queries/audit.js';
import { endOtherSessions } from '../../queries/session.js';
import { defineHandler } from '../types.js';

/** Ends every session of the caller but this one: other browsers, tills, a cookie someone copied. */
export default defineHandler({
  action: 'auth.signOutEverywhere',
  async handle(db, _input, ctx) {
    const actor = ctx.actor;
    const sessionsEnded = await endOtherSessions(db, actor.staffId, actor.sessionId);
    await recordAudit(db, {
      venueId: actor.venueId,
      staffId: actor.staffId,
      action: 'auth.signOutEverywhere',
      entityType: 'staff',
      entityId: actor.staffId,
      details: { sessionsEnded },
    });
    ctx.emit('staff.signedOut', { aggregateId: actor.staffId, data: { staffId: actor.staffId, name: actor.name, sessions: 'others' } });
    return { sessionsEnded };
  },
});
