import { Email, Session, Text } from '@barback/messaging';
import { Type, type Static } from '@sinclair/typebox';
import { ErrorBody, IdempotencyHeaders, sessionErrors, writeSecurity } from '../common.js';


export const Password = Type.String({ minLength: 10, maxLength: 200 });

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
  { email: Email, password: Type.String({ minLength: 1, maxLength: 200 }) },
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
  security: [{ session: [], csrf: [] }],
  response: { 204: Type.Null(), ...errors },
};

export const meSchema = {
  operationId: 'me',
  tags: ['auth'],
  summary: 'Who is logged in, and at which venue.',
  security: [{ session: [] }],
  response: { 200: Session, ...errors },
};

export const ChangePasswordBody = Type.Object(
  { currentPassword: Type.String({ minLength: 1, maxLength: 200 }), newPassword: Password },
  { additionalProperties: false },
);
export type ChangePasswordBodyType = Static<typeof ChangePasswordBody>;

export const changePasswordSchema = {
  operationId: 'changePassword',
  tags: ['auth'],
  summary: 'Change your own password; the only action besides me and logout allowed before an initial password is changed.',
  security: writeSecurity,
  headers: IdempotencyHeaders,
  body: ChangePasswordBody,
  response: { 200: Session, ...sessionErrors, 429: ErrorBody },
};
