import { Type } from '@sinclair/typebox';
import { defineAction } from './define.js';
import { Email, Nullable, PasswordHash, Role, Session, Text, Timestamp, Uuid } from './common.js';

/**
 * What a till's browser proves itself with: the SHA-256 (base64url) of the
 * random secret in its `bb_till` cookie. The secret is 32 random bytes, not
 * something a person chose, so a fast hash is enough; only this hash crosses
 * the broker and only it is stored.
 */
export const TillKeyHash = Type.String({ pattern: '^[A-Za-z0-9_-]{43}$' });

/** A PIN's argon2id hash: like a password's, the PIN itself never crosses the broker. */
export const PinHash = PasswordHash;

/** Which till a PIN action comes from; the worker checks it (not revoked) on every one. */
const tillProof = { tillId: Uuid, tillKeyHash: TillKeyHash };

export const TillSummary = Type.Object({ id: Uuid, name: Type.String() });

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
  /**
   * The lock screen of an enrolled till: the till, its venue and the venue's
   * active staff who have a PIN (with any lock-out), by name. A revoked or
   * unknown till answers BB_TILL_NOT_ENROLLED.
   */
  'auth.listTillStaff': defineAction({
    kind: 'read',
    consistency: 'primary',
    auth: 'none',
    request: Type.Object(tillProof, { additionalProperties: false }),
    reply: Type.Object({
      till: TillSummary,
      venue: Type.Object({ id: Uuid, name: Type.String(), timeZone: Type.String() }),
      staff: Type.Array(Type.Object({ id: Uuid, name: Type.String(), role: Role, lockedUntil: Nullable(Timestamp) })),
    }),
  }),
  /**
   * First half of a PIN sign-in on a till: the person's PIN hash (verified in
   * the front end) and whether their PIN is locked out. Null when the person
   * is not an active member of the till's venue or has no PIN; the front end
   * then verifies against a decoy, so both take the same time.
   */
  'auth.beginPinLogin': defineAction({
    kind: 'read',
    consistency: 'primary',
    auth: 'none',
    request: Type.Object({ ...tillProof, staffId: Uuid }, { additionalProperties: false }),
    reply: Type.Object({ pinHash: Nullable(Type.String()), lockedUntil: Nullable(Timestamp), timeZone: Type.String() }),
  }),
  /**
   * Second half: records the outcome. Five wrong PINs within 15 minutes lock
   * that person's PIN (on every till of the venue) for 15 minutes.
   */
  'auth.finishPinLogin': defineAction({
    kind: 'write',
    auth: 'none',
    request: Type.Object({ ...tillProof, staffId: Uuid, success: Type.Boolean() }, { additionalProperties: false }),
    reply: Type.Object({ session: Nullable(Session), lockedUntil: Nullable(Timestamp), till: TillSummary }),
  }),
  /** Sets the caller's own till PIN (hashed by the front end); clears any lock-out. */
  'auth.setPin': defineAction({
    kind: 'write',
    auth: 'session',
    request: Type.Object({ pinHash: PinHash }, { additionalProperties: false }),
    reply: Type.Object({ staffId: Uuid, pinSetAt: Timestamp }),
  }),
};
