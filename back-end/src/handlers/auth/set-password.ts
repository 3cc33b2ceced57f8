import { Errors } from '@barback/messaging';
import { recordAudit } from '../../queries/audit.js';
import { endOtherSessions, findSession } from '../../queries/session.js';
import { defineHandler } from '../types.js';

/**
 * Sets the caller's own password (already hashed by the front end) and lifts
 * the must-change flag. Every other session of the person ends: whoever knew
 * the old password, or holds a copy of a cookie, is signed out.
 */
export default defineHandler({
  action: 'auth.setPassword',
  async handle(db, input, ctx) {
    const actor = ctx.actor;
    const updated = await db.query(
      'UPDATE staff SET password_hash = $3, must_change_password = false WHERE id = $1 AND venue_id = $2 AND active',
      [actor.staffId, actor.venueId, input.passwordHash],
    );
    if (updated.rowCount !== 1) throw new Errors.sessionInvalid();
    const sessionsEnded = await endOtherSessions(db, actor.staffId, actor.sessionId);
    if (sessionsEnded > 0) {
      ctx.emit('staff.signedOut', { aggregateId: actor.staffId, data: { staffId: actor.staffId, name: actor.name, sessions: 'others' } });
    }
    // Never the hash: the audit trail is readable by every manager.
    await recordAudit(db, {
      venueId: actor.venueId,
      staffId: actor.staffId,
      action: 'auth.passwordChange',
      entityType: 'staff',
      entityId: actor.staffId,
      details: { initial: actor.mustChangePassword, sessionsEnded },
    });
    const session = await findSession(db, actor.staffId);
    if (!session) throw new Errors.sessionInvalid();
    ctx.emit('staff.passwordChanged', { aggregateId: actor.staffId, data: { staffId: actor.staffId, name: session.staff.name } });
    return session;
  },
});
