import { Errors } from '@barback/messaging';
import { recordAudit } from '../../queries/audit.js';
import { clearPinFailures, pinState, recordPinFailure } from '../../queries/pins.js';
import { findSession, startSession } from '../../queries/session.js';
import { findActiveTill, markTillSeen } from '../../queries/tills.js';
import { defineHandler } from '../types.js';

/**
 * Second half of a PIN sign-in: records the outcome. The till is checked
 * again (it may have been revoked between the halves), and so is the lock:
 * a right PIN typed during a lock-out does not sign in.
 */
export default defineHandler({
  action: 'auth.finishPinLogin',
  async handle(db, input, ctx) {
    const till = await findActiveTill(db, input.tillId, input.tillKeyHash);
    if (!till) throw new Errors.tillNotEnrolled();
    const summary = { id: till.id, name: till.name };
    const state = await pinState(db, till.venueId, input.staffId);
    // Not a PIN holder of this venue: nothing to count, nothing to reveal.
    if (!state) return { session: null, lockedUntil: null, till: summary };
    if (state.lockedUntil) return { session: null, lockedUntil: state.lockedUntil.toISOString(), till: summary };
    if (input.success) {
      const session = await findSession(db, input.staffId);
      if (session?.venue.id === till.venueId) {
        const [sessionId] = await Promise.all([startSession(db, input.staffId), clearPinFailures(db, input.staffId), markTillSeen(db, till.id)]);
        ctx.emit('staff.signedIn', {
          aggregateId: session.staff.id,
          venueId: till.venueId,
          data: { staffId: session.staff.id, name: session.staff.name, via: 'pin' },
        });
        return { session: { ...session, sessionId }, lockedUntil: null, till: summary };
      }
    }
    const failure = await recordPinFailure(db, input.staffId);
    if (failure.lockedNow) {
      // Who typed the PINs is not known: the entry names the person whose PIN is locked, and the till.
      await recordAudit(db, {
        venueId: till.venueId,
        staffId: null,
        action: 'auth.pinLockout',
        entityType: 'staff',
        entityId: input.staffId,
        details: { name: state.name, till: till.name, lockedUntil: failure.lockedUntil?.toISOString() },
      });
    }
    return { session: null, lockedUntil: failure.lockedUntil?.toISOString() ?? null, till: summary };
  },
});
