import { defineHandler } from '../types.js';

export const AUDIT_LIMIT = 500;

interface AuditRow {
  id: string;
  at: Date;
  staff_id: string | null;
  staff_name: string | null;
  action: string;
  entity_type: string | null;
  entity_id: string | null;
  reason: string | null;
  details: Record<string, unknown> | null;
}

/** The venue's audit trail, newest first, filtered by time range (from and to inclusive), action and who. */
export default defineHandler({
  action: 'audit.listAuditEntries',
  async handle(db, input, ctx) {
    const values: unknown[] = [ctx.actor!.venueId];
    const where = ['a.venue_id = $1'];
    const add = (sql: string, value: unknown) => {
      values.push(value);
      where.push(sql.replace('?', `$${values.length}`));
    };
    if (input.from) add('a.at >= ?::timestamptz', input.from);
    if (input.to) add('a.at <= ?::timestamptz', input.to);
    if (input.action) add('a.action = ?', input.action);
    if (input.staffId) add('a.staff_id = ?', input.staffId);
    values.push(AUDIT_LIMIT);
    const { rows } = await db.query<AuditRow>(
      `SELECT a.id::text AS id, a.at, a.staff_id, s.name AS staff_name, a.action, a.entity_type, a.entity_id, a.reason, a.details
         FROM audit_log a LEFT JOIN staff s ON s.id = a.staff_id AND s.venue_id = a.venue_id
        WHERE ${where.join(' AND ')}
        ORDER BY a.at DESC, a.id DESC
        LIMIT $${values.length}`,
      values,
    );
    return {
      items: rows.map((r) => ({
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
    };
  },
});
