import { Email, Session, Text, TillSummary, Uuid, authActions } from '@barback/messaging';
import { Type } from '@sinclair/typebox';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '../../../services/passwords.js';
import { PIN_PATTERN } from '../../../services/tills.js';
import { ErrorBody, IdempotencyHeaders, readSecurity, sessionErrors, writeSecurity } from '../common.js';

/** A password someone chooses: the rule in services/passwords.ts, which the pages check too. */
export const Password = Type.String({ minLength: PASSWORD_MIN_LENGTH, maxLength: PASSWORD_MAX_LENGTH });
/** A password typed to prove who you are: any length a chosen one could have. */
const GivenPassword = Type.String({ minLength: 1, maxLength: PASSWORD_MAX_LENGTH });

export const RegisterBody = Type.Object(
  {
    venueName: Text(120),
    name: Text(120),
    email: Email,
    password: Password,
  },
  { additionalProperties: false },
);

export const LoginBody = Type.Object(
  { email: Email, password: GivenPassword },
  { additionalProperties: false },
);

export const SessionWithCsrf = Type.Object({
  csrfToken: Type.String(),
  staff: Session.properties.staff,
  venue: Session.properties.venue,
});

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 409: ErrorBody, 415: ErrorBody, 429: ErrorBody, 503: ErrorBody, 504: ErrorBody };

/** What register and login say of where they may be called from. */
const sameSiteOnly =
  'JSON bodies only (anything else: 415 BB_UNSUPPORTED_MEDIA_TYPE). A browser request from another site ' +
  '(an Origin of another host, or Sec-Fetch-Site other than same-origin) is refused with 403 BB_CROSS_ORIGIN; ' +
  'a client that sends neither header is not affected.';

export const registerSchema = {
  operationId: 'register',
  tags: ['auth'],
  summary: 'Create a venue and its first account (a manager), and log in.',
  description: `${sameSiteOnly} The password may not be common, nor the account's email or name (400 naming \`password\`).`,
  body: RegisterBody,
  response: { 201: SessionWithCsrf, ...errors },
};

export const loginSchema = {
  operationId: 'login',
  tags: ['auth'],
  summary: 'Log in; sets the session cookie and returns the CSRF token for later calls.',
  description:
    `${sameSiteOnly} Failed logins are counted per (email, client address) and per client address: after a few, that ` +
    'pair (or that address) is held for a time that doubles with each further failure, up to 15 minutes, and answered ' +
    '429 BB_LOGIN_THROTTLED with Retry-After, its password not even checked. The account itself is never locked: ' +
    'the right password from another address signs in.',
  body: LoginBody,
  response: { 200: SessionWithCsrf, ...errors },
};

export const logoutSchema = {
  operationId: 'logout',
  tags: ['auth'],
  summary: 'End the session, here and on the server: a copy of its cookie answers 401 afterwards.',
  security: writeSecurity,
  response: { 204: Type.Null(), ...errors },
};

export const meSchema = {
  operationId: 'me',
  tags: ['auth'],
  summary: 'Who is logged in, and at which venue.',
  security: readSecurity,
  response: { 200: Session, ...errors },
};

export const signOutEverywhereSchema = {
  operationId: 'signOutEverywhere',
  tags: ['auth'],
  summary: 'End every other session of yours (other browsers, tills, a copied cookie); this one stays signed in.',
  security: writeSecurity,
  response: { 200: authActions['auth.signOutEverywhere'].reply, ...sessionErrors },
};

export const ChangePasswordBody = Type.Object(
  { currentPassword: GivenPassword, newPassword: Password },
  { additionalProperties: false },
);

export const changePasswordSchema = {
  operationId: 'changePassword',
  tags: ['auth'],
  summary: 'Change your own password; the only action besides me and logout allowed before an initial password is changed.',
  description:
    "Every other session of yours ends (other browsers, tills, a copied cookie); this one stays. The new password may not be " +
    "common, nor your email or name (400 naming `newPassword`).",
  security: writeSecurity,
  headers: IdempotencyHeaders,
  body: ChangePasswordBody,
  response: { 200: Session, ...sessionErrors, 429: ErrorBody },
};

/** A PIN as typed: 4 to 6 digits (a PIN someone chooses is also checked against easy ones, 400 naming `pin`). */
export const Pin = Type.String({ pattern: PIN_PATTERN, description: '4 to 6 digits.' });

const tillCookie = 'Needs the `bb_till` cookie of an enrolled till (set by enrolTill); without one, or with a revoked one, 401 BB_TILL_NOT_ENROLLED.';

export const listTillStaffSchema = {
  operationId: 'listTillStaff',
  tags: ['auth'],
  summary: "An enrolled till's lock screen: the till, its venue and who can sign in on it with a PIN.",
  description: tillCookie,
  response: { 200: authActions['auth.listTillStaff'].reply, ...errors },
};

export const PinLoginBody = Type.Object({ staffId: Uuid, pin: Pin }, { additionalProperties: false });

export const pinLoginSchema = {
  operationId: 'pinLogin',
  tags: ['auth'],
  summary: 'Sign in on an enrolled till with a PIN, replacing whoever was signed in on it.',
  description:
    `${tillCookie} A wrong PIN answers 401 BB_BAD_PIN; the fifth within 15 minutes locks that person's PIN for 15 minutes ` +
    '(429 BB_PIN_LOCKED, saying until when); at most 20 attempts a minute per till (429 BB_RATE_LIMITED).',
  body: PinLoginBody,
  response: { 200: Type.Object({ ...SessionWithCsrf.properties, till: TillSummary }), ...errors },
};

export const SetPinBody = Type.Object({ currentPassword: GivenPassword, pin: Pin }, { additionalProperties: false });

export const setPinSchema = {
  operationId: 'setPin',
  tags: ['auth'],
  summary: 'Set your own PIN for the venue\'s tills (needs your current password, and a session signed in with a password).',
  security: writeSecurity,
  headers: IdempotencyHeaders,
  body: SetPinBody,
  response: { 200: authActions['auth.setPin'].reply, ...sessionErrors, 429: ErrorBody },
};
