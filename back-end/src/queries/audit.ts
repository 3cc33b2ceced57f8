import type { Queryable } from '../handlers/types.js';

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
