import type { ReplyOf } from '@barback/messaging';
import type { Queryable } from '../types.js';

type Till = ReplyOf<'staff.revokeTill'>;

interface TillRow {
  id: string;
  name: string;
  created_at: Date;
  created_by_name: string;
  last_seen_at: Date | null;
  revoked_at: Date | null;
}

// The enrolling manager's name comes with every row: the staff page shows it.
const TILL_SELECT = `
  SELECT t.id, t.name, t.created_at, s.name AS created_by_name, t.last_seen_at, t.revoked_at
    FROM tills t JOIN staff s ON s.id = t.created_by`;

function toTill(row: TillRow): Till {
  return {
    id: row.id,
    name: row.name,
    createdAt: row.created_at.toISOString(),
    createdBy: row.created_by_name,
    lastSeenAt: row.last_seen_at?.toISOString() ?? null,
    revokedAt: row.revoked_at?.toISOString() ?? null,
  };
}

/** A new till of the venue; null when a working till of the venue already has that name. */
export async function insertTill(
  db: Queryable,
  till: { venueId: string; name: string; keyHash: string; createdBy: string },
): Promise<Till | null> {
  const { rows } = await db.query<TillRow>(
    `WITH t AS (
       INSERT INTO tills (venue_id, name, key_hash, created_by) VALUES ($1, $2, $3, $4)
       ON CONFLICT (venue_id, lower(name)) WHERE revoked_at IS NULL DO NOTHING
       RETURNING *)
     SELECT t.id, t.name, t.created_at, s.name AS created_by_name, t.last_seen_at, t.revoked_at
       FROM t JOIN staff s ON s.id = t.created_by`,
    [till.venueId, till.name, till.keyHash, till.createdBy],
  );
  return rows[0] ? toTill(rows[0]) : null;
}

/** The venue's tills, working ones first, then newest first. */
export async function listTills(db: Queryable, venueId: string): Promise<Till[]> {
  const { rows } = await db.query<TillRow>(
    `${TILL_SELECT} WHERE t.venue_id = $1 ORDER BY t.revoked_at IS NOT NULL, t.created_at DESC, t.id`,
    [venueId],
  );
  return rows.map(toTill);
}

/**
 * Revokes a till of the venue (a no-op for one revoked already). Null for an
 * unknown id or another venue's till, which the caller answers alike.
 */
export async function revokeTill(
  db: Queryable,
  venueId: string,
  tillId: string,
  by: string,
): Promise<{ till: Till; revokedNow: boolean } | null> {
  const updated = await db.query<{ id: string }>(
    'UPDATE tills SET revoked_at = now(), revoked_by = $3 WHERE id = $1 AND venue_id = $2 AND revoked_at IS NULL RETURNING id',
    [tillId, venueId, by],
  );
  const { rows } = await db.query<TillRow>(`${TILL_SELECT} WHERE t.id = $1 AND t.venue_id = $2`, [tillId, venueId]);
  return rows[0] ? { till: toTill(rows[0]), revokedNow: updated.rowCount === 1 } : null;
}

export interface ActiveTill {
  id: string;
  name: string;
  venueId: string;
  venueName: string;
  timeZone: string;
}

/**
 * The till a browser's cookie names, when its key matches and it is not
 * revoked: every PIN action asks, so a revoked till stops at once.
 */
export async function findActiveTill(db: Queryable, tillId: string, keyHash: string): Promise<ActiveTill | null> {
  const { rows } = await db.query<{ id: string; name: string; venue_id: string; venue_name: string; time_zone: string }>(
    `SELECT t.id, t.name, t.venue_id, v.name AS venue_name, v.time_zone
       FROM tills t JOIN venues v ON v.id = t.venue_id
      WHERE t.id = $1 AND t.key_hash = $2 AND t.revoked_at IS NULL`,
    [tillId, keyHash],
  );
  const row = rows[0];
  return row ? { id: row.id, name: row.name, venueId: row.venue_id, venueName: row.venue_name, timeZone: row.time_zone } : null;
}

/** When someone last signed in on the till (shown on the staff page). */
export async function markTillSeen(db: Queryable, tillId: string): Promise<void> {
  await db.query('UPDATE tills SET last_seen_at = now() WHERE id = $1', [tillId]);
}
