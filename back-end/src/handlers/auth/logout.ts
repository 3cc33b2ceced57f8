import { endSession } from '../../queries/session.js';
import { defineHandler } from '../types.js';

/**
 * Ends the caller's own session: from the next request on, the worker
 * refuses its cookie (every copy of it) whatever the browser kept.
 */
export default defineHandler({
  action: 'auth.logout',
  async handle(db, _input, ctx) {
    const actor = ctx.actor;
    const sessionsEnded = actor.sessionId ? await endSession(db, actor.staffId, actor.sessionId) : 0;
    if (sessionsEnded > 0) {
      ctx.emit('staff.signedOut', { aggregateId: actor.staffId, data: { staffId: actor.staffId, name: actor.name, sessions: 'this' } });
    }
    return { sessionsEnded };
  },
});
