import { Errors } from '@barback/messaging';
import { recordAudit } from '../../queries/audit.js';
import { onlyRow } from '../../queries/rows.js';
import { endOtherSessions } from '../../queries/session.js';
import { defineHandler } from '../types.js';
import { STAFF_COLUMNS, toStaffMember, type StaffRow } from './list-staff.js';

/**
 * Disables an account of the manager's venue and ends all its sessions. Its
 * next request is refused by the worker's actor check whatever cookie it
 * still holds (and stays refused if the account is enabled again). Another
 * venue's account answers exactly like an unknown id.
 */
export default defineHandler({
  action: 'staff.disableStaff',
  async handle(db, input, ctx) {
    const actor = ctx.actor;
    const found = await db.query<StaffRow>(`SELECT ${STAFF_COLUMNS} FROM staff WHERE id = $1 AND venue_id = $2 FOR UPDATE`, [
      input.staffId,
      actor.venueId,
    ]);
    const current = found.rows[0];
    if (!current) throw new Errors.notFound('Staff member');
    if (current.id === actor.staffId) throw new Errors.conflict('You cannot disable your own account.');
    if (!current.active) return toStaffMember(current);
    const updated = await db.query<StaffRow>(
      `UPDATE staff SET active = false WHERE id = $1 AND venue_id = $2 RETURNING ${STAFF_COLUMNS}`,
      [current.id, actor.venueId],
    );
    const row = onlyRow(updated);
    await endOtherSessions(db, row.id, null);
    await recordAudit(db, {
      venueId: actor.venueId,
      staffId: actor.staffId,
      action: 'staff.disable',
      entityType: 'staff',
      entityId: row.id,
      details: { name: row.name, email: row.email, role: row.role },
    });
    const member = toStaffMember(row);
    ctx.emit('staff.disabled', { aggregateId: member.id, data: member });
    return member;
  },
});
