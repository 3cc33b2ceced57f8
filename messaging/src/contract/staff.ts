import { Type } from '@sinclair/typebox';
import { defineAction } from './define.js';
import { Email, PasswordHash, Role, Text, Timestamp, Uuid } from './common.js';

export const StaffMember = Type.Object({
  id: Uuid,
  name: Type.String(),
  email: Type.String(),
  role: Role,
  active: Type.Boolean(),
  mustChangePassword: Type.Boolean(),
  createdAt: Timestamp,
});

export const staffActions = {
  /** The new account must change this initial password at first login. */
  'staff.createStaff': defineAction({
    kind: 'write',
    auth: 'session',
    role: 'manager',
    request: Type.Object(
      { name: Text(120), email: Email, role: Role, passwordHash: PasswordHash },
      { additionalProperties: false },
    ),
    reply: StaffMember,
  }),
  'staff.disableStaff': defineAction({
    kind: 'write',
    auth: 'session',
    role: 'manager',
    request: Type.Object({ staffId: Uuid }, { additionalProperties: false }),
    reply: StaffMember,
  }),
  'staff.listStaff': defineAction({
    kind: 'read',
    auth: 'session',
    role: 'manager',
    request: Type.Object({}, { additionalProperties: false }),
    reply: Type.Object({ items: Type.Array(StaffMember) }),
  }),
};
