import { createHash } from 'node:crypto';
import { Errors, isCodedError, withField, type CallOptions, type ReplyOf, type RpcClient } from '@barback/messaging';
import type { FastifyRequest } from 'fastify';
import type { SessionUser } from '../types.js';
import { clientKeyOf } from './client-address.js';
import { checkChosenPassword, type Passwords } from './passwords.js';
import type { TillDevice } from './tills.js';

export type Session = ReplyOf<'auth.me'>;
/** A session just started: Session and the id of its row, which only the cookie keeps. */
export type SignedIn = ReplyOf<'auth.register'>;

/**
 * The request id a write is de-duplicated on: the client's Idempotency-Key,
 * scoped to who sent it, or a fresh one per HTTP request so that at least a
 * broker redelivery is applied once.
 */
export function requestIdFor(request: FastifyRequest, scope: string): string | undefined {
  const key = request.headers['idempotency-key'];
  if (typeof key !== 'string' || key.length === 0) return undefined;
  return scopedRequestId(scope, key);
}

/** A client's key made the caller's own, so two callers' keys can never collide. */
export function scopedRequestId(scope: string, key: string): string {
  return createHash('sha256').update(`${scope}\n${key}`).digest('base64url');
}

/**
 * What every call made on behalf of this HTTP request carries: the caller,
 * the request id for the worker's logs, and the caller's last write position,
 * kept in the session so that reads served by a standby include the caller's
 * own writes, whichever front-end replica serves the next request.
 */
export function callOptions(request: FastifyRequest): CallOptions {
  const user = request.session.get('user');
  const lsn = request.session.get('lsn');
  return {
    actor: user ? { staffId: user.staffId, venueId: user.venueId, sessionId: user.sessionId } : null,
    log: request.log,
    traceId: request.id,
    ...(lsn ? { minLsn: lsn } : {}),
    onCommitted: (committed) => {
      if (user) request.session.set('lsn', committed);
    },
  };
}

/** Times in a till's PIN lock-out messages, in its venue's zone. */
function localTime(iso: string, timeZone: string): string {
  return new Intl.DateTimeFormat('en-IE', { timeZone, hour: '2-digit', minute: '2-digit' }).format(new Date(iso));
}

export class AuthService {
  constructor(
    private readonly rpc: RpcClient,
    private readonly passwords: Passwords,
  ) {}

  async register(
    request: FastifyRequest,
    input: { venueName: string; name: string; email: string; password: string },
  ): Promise<SignedIn> {
    checkChosenPassword(input.password, { email: input.email, name: input.name }, 'password');
    const passwordHash = await this.passwords.hash(input.password);
    const requestId = requestIdFor(request, `register:${input.email.toLowerCase()}`);
    return this.rpc.call(
      'auth.register',
      { venueName: input.venueName, name: input.name, email: input.email, passwordHash },
      { ...callOptions(request), actor: null, ...(requestId ? { requestId } : {}) },
    );
  }

  /**
   * Unknown email and wrong password take the same path: one broker round for
   * the stored hash, one argon2 verify (against a decoy if there is no account),
   * one round to record the outcome. The API and the login page both come
   * here, so they share one count of failures, kept by the worker per
   * (email, client address) and per client address (decision 17 in
   * docs/architecture.md). While either is held, the password is not even
   * verified: the attempt is counted, which lengthens the hold, and refused
   * with 429 and Retry-After. The account is never held as a whole: its owner,
   * at another address, signs in whatever a guesser does.
   */
  async login(request: FastifyRequest, email: string, password: string): Promise<SignedIn> {
    const opts = { ...callOptions(request), actor: null };
    const client = clientKeyOf(request);
    const begin = await this.rpc.call('auth.beginLogin', { email, client }, opts);
    const held = begin.retryAfterSeconds !== null;
    const ok = !held && (await this.passwords.verify(begin.account?.passwordHash ?? null, password));
    const finish = await this.rpc.call('auth.finishLogin', { email, client, staffId: begin.account?.staffId ?? null, success: ok }, opts);
    if (finish.session) return finish.session;
    if (held || (ok && finish.retryAfterSeconds !== null)) throw loginThrottled(finish.retryAfterSeconds ?? begin.retryAfterSeconds ?? 1);
    throw new Errors.badCredentials();
  }

  /** An enrolled till's lock screen: who may sign in on it with a PIN. */
  async listTillStaff(request: FastifyRequest, device: TillDevice): Promise<ReplyOf<'auth.listTillStaff'>> {
    return this.rpc.call('auth.listTillStaff', device, { ...callOptions(request), actor: null });
  }

  /**
   * A PIN sign-in on an enrolled till, made like a password login: the hash
   * from the worker, the argon2 verify here (against a decoy for someone who
   * has no PIN), the outcome back to the worker, which counts wrong PINs.
   */
  async pinLogin(
    request: FastifyRequest,
    device: TillDevice,
    staffId: string,
    pin: string,
  ): Promise<{ session: SignedIn; till: { id: string; name: string } }> {
    const opts = { ...callOptions(request), actor: null };
    const begin = await this.rpc.call('auth.beginPinLogin', { ...device, staffId }, opts);
    if (begin.lockedUntil) throw withField(new Errors.pinLocked(localTime(begin.lockedUntil, begin.timeZone)), 'pin');
    const ok = await this.passwords.verify(begin.pinHash, pin);
    const finish = await this.rpc.call('auth.finishPinLogin', { ...device, staffId, success: ok }, opts);
    if (finish.session) return { session: finish.session, till: finish.till };
    if (finish.lockedUntil) throw withField(new Errors.pinLocked(localTime(finish.lockedUntil, begin.timeZone)), 'pin');
    throw withField(new Errors.badPin(), 'pin');
  }

  /** Who is logged in, confirmed by a worker against the database. */
  async me(request: FastifyRequest): Promise<Session> {
    if (!request.session.get('user')) throw new Errors.notAuthenticated();
    return this.rpc.call('auth.me', {}, callOptions(request));
  }

  /**
   * Ends this session in the database, then in the cookie (on a till only
   * the person is signed out: `lock`). A session the worker already refuses
   * (ended elsewhere, account disabled) is simply cleared; any other failure
   * (broker down) goes up with the cookie kept, so logging out can be tried
   * again rather than leaving a live session behind a cleared cookie.
   */
  async logout(request: FastifyRequest, { lock }: { lock: boolean }): Promise<void> {
    if (request.session.get('user')) {
      try {
        await this.rpc.call('auth.logout', {}, callOptions(request));
      } catch (err) {
        if (!isCodedError(err) || !SESSION_GONE.has(err.code)) throw err;
      }
    }
    if (lock) lockSession(request);
    else endSession(request);
  }

  /** Ends every other session of the caller; this one stays. */
  async signOutEverywhere(request: FastifyRequest, write: CallOptions): Promise<ReplyOf<'auth.signOutEverywhere'>> {
    return this.rpc.call('auth.signOutEverywhere', {}, write);
  }
}

/** Refusals that mean the session is already over: logging out of it has nothing left to do. */
const SESSION_GONE = new Set(['BB_SESSION_INVALID', 'BB_NOT_AUTHENTICATED']);

/** 429 with the seconds to wait, which the error handler also sends as Retry-After. */
function loginThrottled(seconds: number): Error {
  return Object.assign(new Errors.loginThrottled(seconds), { retryAfterSeconds: seconds });
}

/**
 * `till`: signed in on an enrolled till (the idle lock applies, and Lock and
 * Log out go back to its PIN screen); `pin`: with a PIN rather than a password.
 */
export function startSession(
  request: FastifyRequest,
  session: SignedIn,
  on: { till?: { id: string; name: string } | null; pin?: boolean } = {},
): SessionUser {
  const user: SessionUser = {
    staffId: session.staff.id,
    venueId: session.venue.id,
    sessionId: session.sessionId,
    name: session.staff.name,
    role: session.staff.role,
    venueName: session.venue.name,
    ...(on.till ? { till: on.till } : {}),
    ...(on.pin ? { pin: true } : {}),
  };
  // A new login gets a fresh CSRF secret too: no token from before the login
  // stays valid. A till keeps its last write position across people, so the
  // next one sees what the last one rang even on a standby.
  request.session.regenerate(on.till ? ['lsn'] : []);
  request.session.set('user', user);
  if (on.till) request.session.set('seenAt', Date.now());
  return user;
}

/**
 * Locks a till: the person is signed out, the device is not. The CSRF secret
 * stays, so a form posted from a page left open behind the lock is sent to
 * the PIN screen rather than refused as a forgery; the next sign-in replaces it.
 */
export function lockSession(request: FastifyRequest): void {
  request.session.regenerate(['lsn', '_csrf']);
}

export function endSession(request: FastifyRequest): void {
  request.session.delete();
}
