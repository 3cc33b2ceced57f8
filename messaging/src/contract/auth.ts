import { Type } from '@sinclair/typebox';
import { defineAction } from './define.js';
import { Email, Nullable, PasswordHash, Session, Text, Timestamp, Uuid } from './common.js';

export const authActions = {
  'auth.register': defineAction({
    kind: 'write',
    auth: 'none',
    request: Type.Object(
      {
        venueName: Text(120),
        name: Text(120),
        email: Email,
        passwordHash: PasswordHash,
      },
      { additionalProperties: false },
    ),
    reply: Session,
  }),
  /**
   * First half of a login: the stored hash (verified in the front end) and
   * whether the email is locked out. Unknown emails are throttled the same way,
   * so the answer never reveals whether an account exists.
   */
  'auth.beginLogin': defineAction({
    kind: 'read',
    consistency: 'primary',
    auth: 'none',
    request: Type.Object({ email: Email }, { additionalProperties: false }),
    reply: Type.Object({
      account: Nullable(Type.Object({ staffId: Uuid, passwordHash: Type.String() })),
      lockedUntil: Nullable(Timestamp),
    }),
  }),
  /** Second half: records the outcome (failure counts live in the database, shared by every replica). */
  'auth.finishLogin': defineAction({
    kind: 'write',
    auth: 'none',
    request: Type.Object(
      { email: Email, staffId: Nullable(Uuid), success: Type.Boolean() },
      { additionalProperties: false },
    ),
    reply: Type.Object({ session: Nullable(Session), lockedUntil: Nullable(Timestamp) }),
  }),
  'auth.me': defineAction({
    kind: 'read',
    consistency: 'primary',
    auth: 'session',
    allowBeforePasswordChange: true,
    request: Type.Object({}, { additionalProperties: false }),
    reply: Session,
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
};
