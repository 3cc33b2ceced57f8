import { Email, Session, Text } from '@barback/messaging';
import { Type } from '@sinclair/typebox';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '../../../services/passwords.js';
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

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 409: ErrorBody, 429: ErrorBody, 503: ErrorBody, 504: ErrorBody };

export const registerSchema = {
  operationId: 'register',
  tags: ['auth'],
  summary: 'Create a venue and its first account (a manager), and log in.',
  body: RegisterBody,
  response: { 201: SessionWithCsrf, ...errors },
};

export const loginSchema = {
  operationId: 'login',
  tags: ['auth'],
  summary: 'Log in; sets the session cookie and returns the CSRF token for later calls.',
  body: LoginBody,
  response: { 200: SessionWithCsrf, ...errors },
};

export const logoutSchema = {
  operationId: 'logout',
  tags: ['auth'],
  summary: 'End the session.',
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

export const ChangePasswordBody = Type.Object(
  { currentPassword: GivenPassword, newPassword: Password },
  { additionalProperties: false },
);

export const changePasswordSchema = {
  operationId: 'changePassword',
  tags: ['auth'],
  summary: 'Change your own password; the only action besides me and logout allowed before an initial password is changed.',
  security: writeSecurity,
  headers: IdempotencyHeaders,
  body: ChangePasswordBody,
  response: { 200: Session, ...sessionErrors, 429: ErrorBody },
};
