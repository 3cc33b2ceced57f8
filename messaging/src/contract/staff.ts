import { Type } from '@sinclair/typebox';
import { defineAction } from './define.js';
import { Email, Nullable, Role, Session, Timestamp, Uuid } from './common.js';

const PasswordHash = Type.String({ pattern: '^\\$argon2id\\$', maxLength: 512 });

export const StaffMember = Type.Object({
  id: Uuid,
  name: Type.String(),
  email: Type.String(),
  role: Role,
  active: Type.Boolean(),
  mustChangePassword: Type.Boolean(),
  createdAt: Timestamp,
});

export const AuditEntry = Type.Object({
  id: Type.String(),
  at: Timestamp,
  staffId: Nullable(Uuid),
  staffName: Nullable(Type.String()),
  action: Type.String(),
  entityType: Nullable(Type.String()),
  entityId: Nullable(Uuid),
  reason: Nullable(Type.String()),
  details: Type.Record(Type.String(), Type.Unknown()),
});

export const staffActions = {
  /** The new account must change this initial password at first login. */
  'staff.create': defineAction({
    kind: 'write',
    auth: 'session',
    role: 'manager',
    request: Type.Object(
      { name: Type.String({ minLength: 1, maxLength: 120 }), email: Email, role: Role, passwordHash: PasswordHash },
      { additionalProperties: false },
    ),
    reply: StaffMember,
  }),
  'staff.disable': defineAction({
    kind: 'write',
    auth: 'session',
    role: 'manager',
    request: Type.Object({ staffId: Uuid }, { additionalProperties: false }),
    reply: StaffMember,
  }),
  'staff.list': defineAction({
    kind: 'read',
    auth: 'session',
    role: 'manager',
    request: Type.Object({}, { additionalProperties: false }),
    reply: Type.Object({ items: Type.Array(StaffMember) }),
  }),
  /** The caller's own hash, for the front end to verify the current password before a change. */
  'auth.getPasswordHash': defineAction({
    kind: 'read',
    consistency: 'primary',
    auth: 'session',
    allowBeforePasswordChange: true,
    request: Type.Object({}, { additionalProperties: false }),
    reply: Type.Object({ passwordHash: Type.String() }),
  }),
  'auth.setPassword': defineAction({
    kind: 'write',
    auth: 'session',
    allowBeforePasswordChange: true,
    request: Type.Object({ passwordHash: PasswordHash }, { additionalProperties: false }),
    reply: Session,
  }),
  'audit.list': defineAction({
    kind: 'read',
    auth: 'session',
    role: 'manager',
    request: Type.Object(
      {
        from: Type.Optional(Timestamp),
        to: Type.Optional(Timestamp),
        action: Type.Optional(Type.String({ minLength: 1, maxLength: 60 })),
        staffId: Type.Optional(Uuid),
      },
      { additionalProperties: false },
    ),
    reply: Type.Object({ items: Type.Array(AuditEntry) }),
  }),
};
