import { Errors, type Actor, type ReplyOf } from '@barback/messaging';
import type { ActorRecord, Queryable } from '../handlers/types.js';

type Session = ReplyOf<'auth.me'>;

interface SessionRow {
  staff_id: string;
  staff_name: string;
  email: string;
  role: 'manager' | 'bartender';
  must_change_password: boolean;
  venue_id: string;
  venue_name: string;
  time_zone: string;
}

const SESSION_SQL = `
  SELECT s.id AS staff_id, s.name AS staff_name, s.email, s.role, s.must_change_password,
         v.id AS venue_id, v.name AS venue_name, v.time_zone
    FROM staff s JOIN venues v ON v.id = s.venue_id
   WHERE s.id = $1 AND s.active`;

function toSession(row: SessionRow): Session {
  return {
    staff: { id: row.staff_id, name: row.staff_name, email: row.email, role: row.role, mustChangePassword: row.must_change_password },
    venue: { id: row.venue_id, name: row.venue_name, timeZone: row.time_zone },
  };
}

/** The session of an active account, or null if it is missing or disabled. */
export async function findSession(db: Queryable, staffId: string): Promise<Session | null> {
  const { rows } = await db.query<SessionRow>(SESSION_SQL, [staffId]);
  return rows[0] ? toSession(rows[0]) : null;
}

/**
 * Checks the message's actor against the database on every request: a disabled
 * account, or a cookie naming another venue, is refused whatever the front end says.
 */
export async function loadActor(db: Queryable, actor: Actor | null): Promise<ActorRecord> {
  if (!actor) throw new Errors.notAuthenticated();
  const { rows } = await db.query<SessionRow>(`${SESSION_SQL} AND s.venue_id = $2`, [actor.staffId, actor.venueId]);
  const row = rows[0];
  if (!row) throw new Errors.sessionInvalid();
  return { staffId: row.staff_id, venueId: row.venue_id, role: row.role, name: row.staff_name, mustChangePassword: row.must_change_password };
}
