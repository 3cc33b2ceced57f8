import type { Queryable } from '../types.js';

/** Wrong PINs within this window count towards a lock-out; older ones are forgiven (as for passwords). */
export const PIN_FAILURE_WINDOW = '15 minutes';
export const PIN_MAX_FAILURES = 5;
export const PIN_LOCK_DURATION = '15 minutes';

/**
 * Sets a person's PIN (already an argon2id hash) and starts their count of
 * wrong PINs again: a new PIN is how a manager lifts a lock-out. Null when
 * the person is not an active member of the venue.
 */
export async function setPin(
  db: Queryable,
  pin: { venueId: string; staffId: string; pinHash: string; setBy: string },
): Promise<{ setAt: Date; name: string } | null> {
  const { rows } = await db.query<{ set_at: Date; name: string }>(
    `WITH person AS (SELECT id, name FROM staff WHERE id = $1 AND venue_id = $2 AND active),
          upserted AS (
       INSERT INTO staff_pins (staff_id, pin_hash, set_by)
       SELECT id, $3, $4 FROM person
       ON CONFLICT (staff_id) DO UPDATE SET
         pin_hash = EXCLUDED.pin_hash, set_at = now(), set_by = EXCLUDED.set_by,
         failures = 0, last_failure_at = NULL, locked_until = NULL
       RETURNING set_at)
     SELECT upserted.set_at, person.name FROM upserted, person`,
    [pin.staffId, pin.venueId, pin.pinHash, pin.setBy],
  );
  const row = rows[0];
  return row ? { setAt: row.set_at, name: row.name } : null;
}

/** The PIN hash and lock-out of an active member of the venue who has a PIN, or null. */
export async function pinState(
  db: Queryable,
  venueId: string,
  staffId: string,
): Promise<{ pinHash: string; lockedUntil: Date | null; name: string } | null> {
  const { rows } = await db.query<{ pin_hash: string; locked_until: Date | null; name: string }>(
    `SELECT p.pin_hash, s.name, CASE WHEN p.locked_until > now() THEN p.locked_until END AS locked_until
       FROM staff_pins p JOIN staff s ON s.id = p.staff_id
      WHERE p.staff_id = $1 AND s.venue_id = $2 AND s.active`,
    [staffId, venueId],
  );
  const row = rows[0];
  return row ? { pinHash: row.pin_hash, lockedUntil: row.locked_until, name: row.name } : null;
}

/**
 * Counts a wrong PIN; the fifth within the window locks the PIN. Returns the
 * lock's end while it lasts, and whether this very failure started it (for
 * the audit trail); a failure during a lock (a race with its start) does not
 * lengthen it. Concurrent failures serialise on the row, so a burst of
 * guesses cannot slip past the count.
 */
export async function recordPinFailure(db: Queryable, staffId: string): Promise<{ lockedUntil: Date | null; lockedNow: boolean }> {
  const { rows } = await db.query<{ locked_until: Date | null; was_locked: boolean }>(
    `WITH before AS (SELECT staff_id, locked_until > now() AS was_locked FROM staff_pins WHERE staff_id = $1 FOR UPDATE)
     UPDATE staff_pins p SET
       failures = CASE WHEN p.last_failure_at < now() - $2::interval THEN 1 ELSE p.failures + 1 END,
       last_failure_at = now(),
       locked_until = CASE
         WHEN p.locked_until > now() THEN p.locked_until
         WHEN (CASE WHEN p.last_failure_at < now() - $2::interval THEN 1 ELSE p.failures + 1 END) >= $3
         THEN now() + $4::interval ELSE p.locked_until END
       FROM before WHERE p.staff_id = before.staff_id
     RETURNING CASE WHEN p.locked_until > now() THEN p.locked_until END AS locked_until, coalesce(before.was_locked, false) AS was_locked`,
    [staffId, PIN_FAILURE_WINDOW, PIN_MAX_FAILURES, PIN_LOCK_DURATION],
  );
  const row = rows[0];
  if (!row) return { lockedUntil: null, lockedNow: false };
  return { lockedUntil: row.locked_until, lockedNow: row.locked_until !== null && !row.was_locked };
}

/** A right PIN forgives the wrong ones before it. */
export async function clearPinFailures(db: Queryable, staffId: string): Promise<void> {
  await db.query('UPDATE staff_pins SET failures = 0, last_failure_at = NULL WHERE staff_id = $1 AND failures > 0', [staffId]);
}

/** The venue's active staff who have a PIN, by name, with any lock-out still running. */
export async function listPinHolders(
  db: Queryable,
  venueId: string,
): Promise<{ id: string; name: string; role: 'manager' | 'bartender'; lockedUntil: Date | null }[]> {
  const { rows } = await db.query<{ id: string; name: string; role: 'manager' | 'bartender'; locked_until: Date | null }>(
    `SELECT s.id, s.name, s.role, CASE WHEN p.locked_until > now() THEN p.locked_until END AS locked_until
       FROM staff s JOIN staff_pins p ON p.staff_id = s.id
      WHERE s.venue_id = $1 AND s.active
      ORDER BY lower(s.name), s.name, s.id`,
    [venueId],
  );
  return rows.map((r) => ({ id: r.id, name: r.name, role: r.role, lockedUntil: r.locked_until }));
}
