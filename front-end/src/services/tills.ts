import { createHash, createHmac, randomBytes } from 'node:crypto';
import { Errors, withField, type CallOptions, type ReplyOf, type RpcClient } from '@barback/messaging';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FrontEndConfig } from '../config.js';
import { callOptions } from './auth.js';
import type { Passwords } from './passwords.js';

/**
 * A browser enrolled as a till carries `bb_till`: the till's id and a random
 * 32-byte secret. Only the secret's SHA-256 crosses the broker and is stored
 * (a random secret needs no slow hash, unlike a password), and the worker
 * checks it, and that the till is not revoked, on every PIN action.
 */
export const TILL_COOKIE = 'bb_till';
const COOKIE_VALUE = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.([A-Za-z0-9_-]{43})$/;
/** A year: a till stays enrolled until a manager revokes it, not until a cookie runs out mid-shift. */
const COOKIE_MAX_AGE_SECONDS = 365 * 24 * 60 * 60;

export interface TillDevice {
  tillId: string;
  tillKeyHash: string;
}

function keyHash(secret: string): string {
  return createHash('sha256').update(secret).digest('base64url');
}

/** The till this browser says it is, from its cookie (checked by the worker, not here), or null. */
export function tillDevice(request: FastifyRequest): TillDevice | null {
  const [, tillId, secret] = COOKIE_VALUE.exec(request.cookies[TILL_COOKIE] ?? '') ?? [];
  if (!tillId || !secret) return null;
  return { tillId, tillKeyHash: keyHash(secret) };
}

/**
 * Strict SameSite: a link from another site opens the email login rather
 * than this till's PIN screen, and no other site can make the browser send it.
 */
function setTillCookie(reply: FastifyReply, config: FrontEndConfig, value: string): void {
  reply.setCookie(TILL_COOKIE, value, {
    path: '/',
    httpOnly: true,
    sameSite: 'strict',
    secure: config.cookieSecure,
    maxAge: COOKIE_MAX_AGE_SECONDS,
  });
}

export function clearTillCookie(reply: FastifyReply): void {
  reply.clearCookie(TILL_COOKIE, { path: '/' });
}

/**
 * Enrols this browser as a till and gives it the cookie. The secret is made
 * here and never sent: the worker gets its hash. For a request with an id (a
 * form's key, an Idempotency-Key) the secret is derived from the id with the
 * session key, so a double-submitted form, whose repeat gets the first
 * reply, sets the same cookie as the first submission did.
 */
export async function enrolTill(
  rpc: RpcClient,
  config: FrontEndConfig,
  reply: FastifyReply,
  name: string,
  write: CallOptions,
): Promise<ReplyOf<'staff.enrolTill'>> {
  const secret = write.requestId
    ? createHmac('sha256', config.sessionKey).update(`bb_till\n${write.requestId}`).digest('base64url')
    : randomBytes(32).toString('base64url');
  const till = await rpc.call('staff.enrolTill', { name, keyHash: keyHash(secret) }, write);
  setTillCookie(reply, config, `${till.id}.${secret}`);
  return till;
}

/** The session on a browser just enrolled gets the till's rules (idle lock; Log out goes to the PIN screen). */
export function markSessionAsTill(request: FastifyRequest, till: { id: string; name: string }): void {
  const user = request.session.get('user');
  if (!user) return;
  request.session.set('user', { ...user, till: { id: till.id, name: till.name } });
  request.session.set('seenAt', Date.now());
}

/** After revoking a till: if it was this browser, the browser is an ordinary one again. */
export function forgetTillIfThisBrowser(request: FastifyRequest, reply: FastifyReply, tillId: string): void {
  if (tillDevice(request)?.tillId !== tillId) return;
  clearTillCookie(reply);
  const user = request.session.get('user');
  if (user?.till) {
    const { till: _till, ...rest } = user;
    request.session.set('user', rest);
  }
}

export const PIN_PATTERN = '^[0-9]{4,6}$';

/**
 * What is wrong with a PIN someone chooses, as the sentence shown beside its
 * field, or null. Besides the length, the two kinds anyone tries first on a
 * keypad are refused: one digit over and over (0000) and a straight run up
 * or down (1234, 9876).
 */
export function pinProblem(pin: string): string | null {
  if (!new RegExp(PIN_PATTERN).test(pin)) return 'The PIN must be 4 to 6 digits.';
  // Digits only from here on (checked above), so one character is one digit.
  const digits = pin.split('').map(Number);
  const steps = new Set(digits.slice(1).map((d, i) => d - (digits[i] ?? d)));
  if (steps.size === 1) {
    const [step] = [...steps];
    if (step === 0) return 'That PIN is too easy to guess: choose digits that are not all the same.';
    if (step === 1 || step === -1) return 'That PIN is too easy to guess: choose digits that are not a run like 1234.';
  }
  return null;
}

function checkedPin(pin: string, field: string): string {
  const problem = pinProblem(pin);
  if (problem) throw withField(new Errors.validation(problem), field);
  return pin;
}

/** A manager sets a staff member's PIN; only its argon2id hash crosses the broker. */
export async function setStaffPin(
  rpc: RpcClient,
  passwords: Passwords,
  input: { staffId: string; pin: string },
  write: CallOptions,
): Promise<ReplyOf<'staff.setStaffPin'>> {
  const pinHash = await passwords.hash(checkedPin(input.pin, 'pin'));
  return rpc.call('staff.setStaffPin', { staffId: input.staffId, pinHash }, write);
}

/**
 * Sets your own PIN. The current password is asked for and checked here
 * (against the hash the worker hands back), so that someone who finds a
 * password session open on a shared tablet cannot give that person a PIN of
 * their own choosing.
 */
export async function setOwnPin(
  rpc: RpcClient,
  passwords: Passwords,
  request: FastifyRequest,
  input: { currentPassword: string; pin: string },
  write: CallOptions,
): Promise<ReplyOf<'auth.setPin'>> {
  checkedPin(input.pin, 'pin');
  const { passwordHash } = await rpc.call('auth.getPasswordHash', {}, callOptions(request));
  if (!(await passwords.verify(passwordHash, input.currentPassword))) {
    throw withField(new Errors.validation('The current password is not correct.'), 'currentPassword');
  }
  return rpc.call('auth.setPin', { pinHash: await passwords.hash(input.pin) }, write);
}
