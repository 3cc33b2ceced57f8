import { findSession } from '../../queries/session.js';
import { defineHandler } from '../types.js';

/** Failures within this window count towards a lock; older ones are forgiven. */
export const FAILURE_WINDOW = '15 minutes';
export const MAX_FAILURES = 5;
export const LOCK_DURATION = '15 minutes';

export default defineHandler({
  action: 'auth.finishLogin',
  async handle(db, input) {
    const email = input.email.trim().toLowerCase();
    if (input.success && input.staffId) {
      const session = await findSession(db, input.staffId);
      if (session) {
        await db.query('DELETE FROM login_throttle WHERE email = $1', [email]);
        return { session, lockedUntil: null };
      }
      // Disabled between the two halves of the login: count it as a failure below.
    }
    const { rows } = await db.query<{ locked_until: Date | null }>(
      `INSERT INTO login_throttle AS t (email, failures, last_failure_at)
       VALUES ($1, 1, now())
       ON CONFLICT (email) DO UPDATE SET
         failures = CASE WHEN t.last_failure_at < now() - $2::interval THEN 1 ELSE t.failures + 1 END,
         last_failure_at = now(),
         locked_until = CASE
           WHEN (CASE WHEN t.last_failure_at < now() - $2::interval THEN 1 ELSE t.failures + 1 END) >= $3
           THEN now() + $4::interval ELSE t.locked_until END
       RETURNING locked_until`,
      [email, FAILURE_WINDOW, MAX_FAILURES, LOCK_DURATION],
    );
    const locked = rows[0]?.locked_until;
    return { session: null, lockedUntil: locked && locked > new Date() ? locked.toISOString() : null };
  },
});
