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

/**
 * A session just started: who, where, and the id of its row in `sessions`
 * (migration 0012), which the front end keeps in the encrypted cookie and
 * sends as Actor.sessionId with every later call. Only the front end sees
 * it; the API's replies leave it out.
 */
export const SignedIn = Type.Object({ ...Session.properties, sessionId: Uuid });

/**
 * Where a login comes from, as the front end keys it (services/client-address.ts):
 * an IPv4 address, or an IPv6 address's /64 (one host can hold a whole /64).
 */
export const ClientKey = Type.String({ minLength: 1, maxLength: 64, pattern: '^[0-9A-Za-z:./-]+$' });

/** Seconds before a held login key may try again (Retry-After). */
const RetryAfter = Nullable(Type.Integer({ minimum: 1 }));

/** How many sessions a sign-out ended. */
const SignedOut = Type.Object({ sessionsEnded: Type.Integer({ minimum: 0 }) });

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
    reply: SignedIn,
  }),
  /**
   * First half of a login: the stored hash (verified in the front end) and,
   * when this (email, client) pair or this client is held after failed
   * logins, how long for. Unknown emails are held the same way, so the answer
   * never reveals whether an account exists; no account is ever held as a
   * whole, so guessing from one address never holds its owner at another.
   */
  'auth.beginLogin': defineAction({
    kind: 'read',
    consistency: 'primary',
    auth: 'none',
    request: Type.Object({ email: Email, client: ClientKey }, { additionalProperties: false }),
    reply: Type.Object({
      account: Nullable(Type.Object({ staffId: Uuid, passwordHash: Type.String() })),
      retryAfterSeconds: RetryAfter,
    }),
  }),
  /**
   * Second half: records the outcome (failure counts live in the database,
   * shared by every replica and by the API and the login page). `success`
   * is false for an attempt made while held: it was not verified, and it
   * counts as a failure, so hammering only lengthens the hold.
   */
  'auth.finishLogin': defineAction({
    kind: 'write',
    auth: 'none',
    request: Type.Object(
      { email: Email, client: ClientKey, staffId: Nullable(Uuid), success: Type.Boolean() },
      { additionalProperties: false },
    ),
    reply: Type.Object({ session: Nullable(SignedIn), retryAfterSeconds: RetryAfter }),
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
    // The email and name too: a new password may not be either (front-end/src/services/passwords.ts).
    reply: Type.Object({ passwordHash: Type.String(), email: Type.String(), name: Type.String() }),
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
    reply: Type.Object({ session: Nullable(SignedIn), lockedUntil: Nullable(Timestamp), till: TillSummary }),
  }),
  /** Sets the caller's own till PIN (hashed by the front end); clears any lock-out. */
  'auth.setPin': defineAction({
    kind: 'write',
    auth: 'session',
    request: Type.Object({ pinHash: PinHash }, { additionalProperties: false }),
    reply: Type.Object({ staffId: Uuid, pinSetAt: Timestamp }),
  }),
  /** Ends the caller's own session (its row goes; the cookie alone no longer signs anyone in). */
  'auth.logout': defineAction({
    kind: 'write',
    auth: 'session',
    allowBeforePasswordChange: true,
    request: Type.Object({}, { additionalProperties: false }),
    reply: SignedOut,
  }),
  /** Ends every other session of the caller (other browsers, tills, stolen cookies), keeping this one. */
  'auth.signOutEverywhere': defineAction({
    kind: 'write',
    auth: 'session',
    allowBeforePasswordChange: true,
    request: Type.Object({}, { additionalProperties: false }),
    reply: SignedOut,
  }),
};
