import { clientKey, heldFor, pairKey } from '../../queries/login-failures.js';
import { defineHandler } from '../types.js';

export default defineHandler({
  action: 'auth.beginLogin',
  async handle(db, input) {
    const email = input.email.trim().toLowerCase();
    const [account, retryAfterSeconds] = await Promise.all([
      db.query<{ id: string; password_hash: string }>(
        'SELECT id, password_hash FROM staff WHERE lower(email) = $1 AND active',
        [email],
      ),
      heldFor(db, [pairKey(email, input.client), clientKey(input.client)]),
    ]);
    const row = account.rows[0];
    return {
      account: row ? { staffId: row.id, passwordHash: row.password_hash } : null,
      retryAfterSeconds,
    };
  },
});
