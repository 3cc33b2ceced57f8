import type { ReplyOf } from '@barback/messaging';
import { splitPage, type PageKey } from '../domain/cursor.js';
import type { Queryable } from '../types.js';

type AuditEntry = ReplyOf<'audit.listAuditEntries'>['items'][number];

export interface AuditRecord {
  venueId: string;
  staffId: string | null;
  action: string;
  entityType?: string;
  entityId?: string;
  reason?: string;
  details?: Record<string, unknown>;
}

/** Appends to the audit trail; the table refuses updates and deletes. */
export async function recordAudit(db: Queryable, entry: AuditRecord): Promise<void> {
  await db.query(
    `INSERT INTO audit_log (venue_id, staff_id, action, entity_type, entity_id, reason, details)
     VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [
      entry.venueId,
      entry.staffId,
      entry.action,
      entry.entityType ?? null,
      entry.entityId ?? null,
      entry.reason ?? null,
      JSON.stringify(entry.details ?? {}),
    ],
  );
}

interface AuditRow {
  id: string;
  at: Date;
  key_at: string;
  staff_id: string | null;
  staff_name: string | null;
  action: string;
  entity_type: string | null;
  entity_id: string | null;
  reason: string | null;
  details: Record<string, unknown> | null;
}

/** What the audit trail can be narrowed to; from and to are inclusive ISO instants. */
export interface AuditFilter {
  from?: string | undefined;
  to?: string | undefined;
  action?: string | undefined;
  staffId?: string | undefined;
}

/**
 * A page of the venue's audit trail, newest first by (at, id), filtered:
 * at most `limit` entries, starting after `after` (the key of the last entry
 * of the previous page) when given. `nextKey` is where the next page starts,
 * null on the last. audit_log_venue_idx (migration 0002) starts the walk at
 * the key, and an incremental sort orders each instant's rows by id.
 */
export async function auditEntries(
  db: Queryable,
  venueId: string,
  filter: AuditFilter,
  page: { after: PageKey | null; limit: number },
): Promise<{ items: AuditEntry[]; nextKey: PageKey | null }> {
  const values: unknown[] = [venueId];
  const where = ['a.venue_id = $1'];
  const param = (value: unknown) => `$${values.push(value)}`;
  if (filter.from) where.push(`a.at >= ${param(filter.from)}::timestamptz`);
  if (filter.to) where.push(`a.at <= ${param(filter.to)}::timestamptz`);
  if (filter.action) where.push(`a.action = ${param(filter.action)}`);
  if (filter.staffId) where.push(`a.staff_id = ${param(filter.staffId)}::uuid`);
  if (page.after) where.push(`(a.at, a.id) < (${param(page.after.at)}::timestamptz, ${param(page.after.id)}::bigint)`);
  // key_at: the exact instant, to the microsecond; a JavaScript Date keeps only
  // milliseconds, and a key rounded to one would skip or repeat entries in it.
  const { rows } = await db.query<AuditRow>(
    `SELECT a.id::text AS id, a.at, to_char(a.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS key_at,
            a.staff_id, s.name AS staff_name, a.action, a.entity_type, a.entity_id, a.reason, a.details
       FROM audit_log a LEFT JOIN staff s ON s.id = a.staff_id AND s.venue_id = a.venue_id
      WHERE ${where.join(' AND ')}
      ORDER BY a.at DESC, a.id DESC
      LIMIT ${param(page.limit + 1)}`,
    values,
  );
  const { rows: pageRows, nextKey } = splitPage(rows, page.limit, (r) => ({ at: r.key_at, id: r.id }));
  return {
    items: pageRows.map((r) => ({
      id: r.id,
      at: r.at.toISOString(),
      staffId: r.staff_id,
      staffName: r.staff_name,
      action: r.action,
      entityType: r.entity_type,
      entityId: r.entity_id,
      reason: r.reason,
      details: r.details ?? {},
    })),
    nextKey,
  };
}
