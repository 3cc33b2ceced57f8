import type { Queryable } from '../types.js';

/**
 * At most this many `access.denied` rows per person per minute: a refusal is
 * worth a line in the audit log, but a script retrying a manager's action
 * must not fill it (and bury what else happened). The rest are counted in
 * the worker's log only.
 */
export const ACCESS_DENIED_PER_MINUTE = 10;

/**
 * Records a refused manager action in the audit log unless the person has
 * had ACCESS_DENIED_PER_MINUTE of them in the last minute; answers whether it
 * did. The count walks audit_log_venue_idx over the venue's last minute only.
 */
export async function recordAccessDenied(db: Queryable, entry: { venueId: string; staffId: string; attempted: string }): Promise<boolean> {
  const result = await db.query(
    `INSERT INTO audit_log (venue_id, staff_id, action, details)
     SELECT $1, $2, 'access.denied', jsonb_build_object('attempted', $3::text)
      WHERE (SELECT count(*) FROM (
               SELECT 1 FROM audit_log
                WHERE venue_id = $1 AND at > now() - interval '1 minute' AND staff_id = $2 AND action = 'access.denied'
                LIMIT $4) AS recent) < $4`,
    [entry.venueId, entry.staffId, entry.attempted, ACCESS_DENIED_PER_MINUTE],
  );
  return result.rowCount === 1;
}
