import { Errors } from '@barback/messaging';
import { recordAudit } from '../../queries/audit.js';
import { setPin } from '../../queries/pins.js';
import { defineHandler } from '../types.js';
import { STAFF_COLUMNS, toStaffMember, type StaffRow } from './list-staff.js';

/**
 * A manager sets or resets a staff member's till PIN (already hashed by the
 * front end); a new PIN also lifts a lock-out. Another venue's account
 * answers exactly like an unknown id.
 */
export default defineHandler({
  action: 'staff.setStaffPin',
  async handle(db, input, ctx) {
    const actor = ctx.actor;
    const found = await db.query<StaffRow>(`SELECT ${STAFF_COLUMNS} FROM staff WHERE id = $1 AND venue_id = $2`, [input.staffId, actor.venueId]);
    const member = found.rows[0];
    if (!member) throw new Errors.notFound('Staff member');
    if (!member.active) throw new Errors.conflict(`${member.name}'s account is disabled: it cannot have a PIN.`);
    const set = await setPin(db, { venueId: actor.venueId, staffId: member.id, pinHash: input.pinHash, setBy: actor.staffId });
    // Disabled between the two statements: the same answer as above.
    if (!set) throw new Errors.conflict(`${member.name}'s account is disabled: it cannot have a PIN.`);
    await recordAudit(db, {
      venueId: actor.venueId,
      staffId: actor.staffId,
      action: 'staff.pinSet',
      entityType: 'staff',
      entityId: member.id,
      details: { name: member.name, hadPin: member.has_pin },
    });
    ctx.emit('staff.pinSet', { aggregateId: member.id, data: { staffId: member.id, name: member.name, setBy: actor.staffId } });
    return toStaffMember({ ...member, has_pin: true });
  },
});
