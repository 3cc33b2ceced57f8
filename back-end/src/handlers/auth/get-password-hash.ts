import { Errors } from '@barback/messaging';
import { defineHandler } from '../types.js';

/** The caller's own stored hash, so the front end can check the current password before a change. */
export default defineHandler({
  action: 'auth.getPasswordHash',
  async handle(db, _input, ctx) {
    const actor = ctx.actor;
    const { rows } = await db.query<{ password_hash: string; email: string; name: string }>(
      'SELECT password_hash, email, name FROM staff WHERE id = $1 AND venue_id = $2 AND active',
      [actor.staffId, actor.venueId],
    );
    const row = rows[0];
    if (!row) throw new Errors.sessionInvalid();
    return { passwordHash: row.password_hash, email: row.email, name: row.name };
  },
});
