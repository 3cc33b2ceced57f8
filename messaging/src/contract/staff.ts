import { Type } from '@sinclair/typebox';
import { defineAction } from './define.js';
import { Email, Nullable, PasswordHash, Role, Text, Timestamp, Uuid } from './common.js';
import { PinHash, TillKeyHash } from './auth.js';

export const StaffMember = Type.Object({
  id: Uuid,
  name: Type.String(),
  email: Type.String(),
  role: Role,
  active: Type.Boolean(),
  mustChangePassword: Type.Boolean(),
  createdAt: Timestamp,
  /** Whether the person can sign in on a till with a PIN (absent from workers older than migration 0009). */
  hasPin: Type.Optional(Type.Boolean()),
});

/** A browser enrolled as one of the venue's tills. */
export const Till = Type.Object({
  id: Uuid,
  name: Type.String(),
  createdAt: Timestamp,
  createdBy: Type.String({ description: 'Name of the manager who enrolled it.' }),
  lastSeenAt: Nullable(Timestamp),
  revokedAt: Nullable(Timestamp),
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
  /**
   * Enrols a browser as one of the venue's tills. The front end makes the
   * device secret and keeps it in the browser's `bb_till` cookie; only its
   * hash is sent and stored, so the secret is in no reply, log or stored reply.
   */
  'staff.enrolTill': defineAction({
    kind: 'write',
    auth: 'session',
    role: 'manager',
    request: Type.Object({ name: Text(60), keyHash: TillKeyHash }, { additionalProperties: false }),
    reply: Till,
  }),
  /** The venue's tills, revoked ones included (shown as such), newest first. */
  'staff.listTills': defineAction({
    kind: 'read',
    auth: 'session',
    role: 'manager',
    request: Type.Object({}, { additionalProperties: false }),
    reply: Type.Object({ items: Type.Array(Till) }),
  }),
  /** Revokes a till: its cookie signs no one in any more, from the next PIN on. */
  'staff.revokeTill': defineAction({
    kind: 'write',
    auth: 'session',
    role: 'manager',
    request: Type.Object({ tillId: Uuid }, { additionalProperties: false }),
    reply: Till,
  }),
  /** Sets (or resets) a staff member's till PIN, and lifts any PIN lock-out. */
  'staff.setStaffPin': defineAction({
    kind: 'write',
    auth: 'session',
    role: 'manager',
    request: Type.Object({ staffId: Uuid, pinHash: PinHash }, { additionalProperties: false }),
    reply: StaffMember,
  }),
};
