import { clientKey, forgetPairFailures, heldFor, pairKey, recordFailure } from '../../queries/login-failures.js';
import { findSession, startSession } from '../../queries/session.js';
import { defineHandler } from '../types.js';

/**
 * Second half of a password login. A right password signs in unless its
 * (email, client) pair or its client is held; anything else counts as a
 * failure under both keys (queries/login-failures.ts). The hold is checked
 * again here because attempts sent together all pass beginLogin before any
 * of them is counted.
 */
export default defineHandler({
  action: 'auth.finishLogin',
  async handle(db, input, ctx) {
    const email = input.email.trim().toLowerCase();
    const keys = { pair: pairKey(email, input.client), client: clientKey(input.client) };
    if (input.success && input.staffId && (await heldFor(db, [keys.pair, keys.client])) === null) {
      const session = await findSession(db, input.staffId);
      if (session) {
        const [sessionId] = await Promise.all([startSession(db, input.staffId), forgetPairFailures(db, keys.pair)]);
        ctx.emit('staff.signedIn', {
          aggregateId: session.staff.id,
          venueId: session.venue.id,
          data: { staffId: session.staff.id, name: session.staff.name, via: 'password' },
        });
        return { session: { ...session, sessionId }, retryAfterSeconds: null };
      }
      // Disabled between the two halves of the login: counted as a failure below.
    }
    return { session: null, retryAfterSeconds: await recordFailure(db, keys) };
  },
});
