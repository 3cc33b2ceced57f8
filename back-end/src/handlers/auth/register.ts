import { Errors, withField } from '@barback/messaging';
import { onlyRow } from '../../queries/rows.js';
import { findSession, startSession } from '../../queries/session.js';
import { defineHandler } from '../types.js';
import { STAFF_COLUMNS, toStaffMember, type StaffRow } from '../staff/list-staff.js';

/** Creates a venue and its first account, a manager. */
export default defineHandler({
  action: 'auth.register',
  async handle(db, input, ctx) {
    const venue = await db.query<{ id: string }>('INSERT INTO venues (name) VALUES ($1) RETURNING id', [input.venueName.trim()]);
    const venueId = onlyRow(venue).id;
    let staffId: string;
    let manager: StaffRow;
    try {
      const staff = await db.query<StaffRow>(
        `INSERT INTO staff (venue_id, name, email, password_hash, role)
         VALUES ($1, $2, $3, $4, 'manager') RETURNING ${STAFF_COLUMNS}`,
        [venueId, input.name.trim(), input.email.trim(), input.passwordHash],
      );
      manager = onlyRow(staff);
      staffId = manager.id;
    } catch (err) {
      // The unique index on lower(email) is the only race-free check.
      if ((err as { code?: string }).code === '23505') throw withField(new Errors.emailTaken(), 'email');
      throw err;
    }
    const session = await findSession(db, staffId);
    if (!session) throw new Error('account vanished inside its own transaction');
    // No caller yet, so the venue is named; the account is the manager's row as written (never its hash).
    ctx.emit('venue.registered', { aggregateId: venueId, venueId, data: { name: session.venue.name } });
    ctx.emit('staff.created', { aggregateId: staffId, venueId, data: toStaffMember(manager) });
    // Registering signs the new manager in: a session like a login's.
    return { ...session, sessionId: await startSession(db, staffId) };
  },
});
