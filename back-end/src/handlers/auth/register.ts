import { Errors, withField } from '@barback/messaging';
import { onlyRow } from '../../queries/rows.js';
import { findSession } from '../../queries/session.js';
import { defineHandler } from '../types.js';

/** Creates a venue and its first account, a manager. */
export default defineHandler({
  action: 'auth.register',
  async handle(db, input) {
    const venue = await db.query<{ id: string }>('INSERT INTO venues (name) VALUES ($1) RETURNING id', [input.venueName.trim()]);
    const venueId = onlyRow(venue).id;
    let staffId: string;
    try {
      const staff = await db.query<{ id: string }>(
        `INSERT INTO staff (venue_id, name, email, password_hash, role)
         VALUES ($1, $2, $3, $4, 'manager') RETURNING id`,
        [venueId, input.name.trim(), input.email.trim(), input.passwordHash],
      );
      staffId = onlyRow(staff).id;
    } catch (err) {
      // The unique index on lower(email) is the only race-free check.
      if ((err as { code?: string }).code === '23505') throw withField(new Errors.emailTaken(), 'email');
      throw err;
    }
    const session = await findSession(db, staffId);
    if (!session) throw new Error('account vanished inside its own transaction');
    return session;
  },
});
