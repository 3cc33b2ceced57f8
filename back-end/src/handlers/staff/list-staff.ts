import type { ReplyOf } from '@barback/messaging';
import { defineHandler } from '../types.js';

export type StaffMember = ReplyOf<'staff.disableStaff'>;

export interface StaffRow {
  id: string;
  name: string;
  email: string;
  role: 'manager' | 'bartender';
  active: boolean;
  must_change_password: boolean;
  created_at: Date;
  has_pin: boolean;
}

/**
 * The columns every staff handler returns, in the order toStaffMember
 * expects; `staff.id` so that it works in an INSERT's or UPDATE's RETURNING too.
 */
export const STAFF_COLUMNS =
  'id, name, email, role, active, must_change_password, created_at, EXISTS (SELECT 1 FROM staff_pins p WHERE p.staff_id = staff.id) AS has_pin';

export function toStaffMember(row: StaffRow): StaffMember {
  return {
    id: row.id,
    name: row.name,
    email: row.email,
    role: row.role,
    active: row.active,
    mustChangePassword: row.must_change_password,
    createdAt: row.created_at.toISOString(),
    hasPin: row.has_pin,
  };
}

/** The venue's staff, disabled accounts included (shown as such), by name. */
export default defineHandler({
  action: 'staff.listStaff',
  async handle(db, _input, ctx) {
    const { rows } = await db.query<StaffRow>(
      `SELECT ${STAFF_COLUMNS} FROM staff WHERE venue_id = $1 ORDER BY lower(name), name, created_at`,
      [ctx.actor.venueId],
    );
    return { items: rows.map(toStaffMember) };
  },
});
