import { Errors, withField } from '@barback/messaging';
import { recordAudit } from '../../queries/audit.js';
import { onlyRow } from '../../queries/rows.js';
import { defineHandler } from '../types.js';
import { STAFF_COLUMNS, toStaffMember, type StaffRow } from './list-staff.js';

/** A new account in the manager's venue; it must change its initial password at first login. */
export default defineHandler({
  action: 'staff.createStaff',
  async handle(db, input, ctx) {
    const actor = ctx.actor;
    const name = input.name.trim();
    const email = input.email.trim();
    if (!name) throw withField(new Errors.validation('name must not be blank'), 'name');
    let row: StaffRow;
    try {
      const inserted = await db.query<StaffRow>(
        `INSERT INTO staff (venue_id, name, email, password_hash, role, must_change_password)
         VALUES ($1, $2, $3, $4, $5, true)
         RETURNING ${STAFF_COLUMNS}`,
        [actor.venueId, name, email, input.passwordHash, input.role],
      );
      row = onlyRow(inserted);
    } catch (err) {
      // The unique index on lower(email) is the only race-free check.
      if ((err as { code?: string }).code === '23505') throw withField(new Errors.emailTaken(), 'email');
      throw err;
    }
    await recordAudit(db, {
      venueId: actor.venueId,
      staffId: actor.staffId,
      action: 'staff.create',
      entityType: 'staff',
      entityId: row.id,
      details: { name: row.name, email: row.email, role: row.role },
    });
    const member = toStaffMember(row);
    ctx.emit('staff.created', { aggregateId: member.id, data: member });
    return member;
  },
});
