import { defineHandler } from '../types.js';

export default defineHandler({
  action: 'auth.beginLogin',
  async handle(db, input) {
    const email = input.email.trim().toLowerCase();
    const [account, throttle] = await Promise.all([
      db.query<{ id: string; password_hash: string }>(
        'SELECT id, password_hash FROM staff WHERE lower(email) = $1 AND active',
        [email],
      ),
      db.query<{ locked_until: Date }>(
        'SELECT locked_until FROM login_throttle WHERE email = $1 AND locked_until > now()',
        [email],
      ),
    ]);
    const row = account.rows[0];
    return {
      account: row ? { staffId: row.id, passwordHash: row.password_hash } : null,
      lockedUntil: throttle.rows[0]?.locked_until.toISOString() ?? null,
    };
  },
});
