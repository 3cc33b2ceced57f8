import type { Queryable } from '../types.js';
import { statement } from './statement.js';

// SKIP LOCKED: workers purging at the same moment take different rows instead
// of queueing on each other's. The oldest first, through processed_requests_created_idx.
const purgeStatement = statement(
  'purge-processed-requests',
  `WITH old AS (
     SELECT scope, request_id FROM processed_requests
      WHERE created_at < now() - make_interval(hours => $1::int)
      ORDER BY created_at
      LIMIT $2::int
        FOR UPDATE SKIP LOCKED)
   DELETE FROM processed_requests p USING old
    WHERE p.scope = old.scope AND p.request_id = old.request_id`,
);

/**
 * Deletes one batch of at most `batch` stored replies older than `keepHours`;
 * resolves with how many went. The worker's RequestPurger (jobs/request-purger.ts)
 * decides when, and how big a batch.
 */
export async function purgeProcessedRequests(db: Queryable, keepHours: number, batch: number): Promise<number> {
  const result = await db.query(purgeStatement([keepHours, batch]));
  return result.rowCount ?? 0;
}
