import createError from '@fastify/error';

/**
 * Every error that can cross the broker, by code. Workers throw these; the
 * front end turns a reply's `{code, statusCode}` back into the same class, so
 * a test can assert on `.code` wherever the error surfaced.
 */
export const Errors = {
  validation: createError<[string]>('BB_VALIDATION', '%s', 400),
  /**
   * A message dead-lettered by a worker: the caller gets the reference, the
   * log line and the dead letter carry the reason (never sent back: it can
   * be the database's own text). 400, not 5xx, because the API answers no
   * 5xx for a request: bad input is refused by the contract before it is
   * published, so what is left here is a message no worker could ever handle
   * (malformed, or data the database refused), and sending it again, as a
   * 5xx invites, fails the same way.
   */
  rejectedMessage: createError<[string]>('BB_MESSAGE_REJECTED', 'The request could not be processed. Reference: %s.', 400),
  emailTaken: createError('BB_EMAIL_TAKEN', 'An account with this email already exists. Log in instead, or use another email.', 409),
  badCredentials: createError('BB_BAD_CREDENTIALS', 'Email or password is incorrect.', 401),
  /** A login held after failed ones from this address (docs/architecture.md, decision 17); the front end adds Retry-After. */
  loginThrottled: createError<[number]>('BB_LOGIN_THROTTLED', 'Too many failed logins from here. Try again in %d seconds.', 429),
  notAuthenticated: createError('BB_NOT_AUTHENTICATED', 'Please log in first.', 401),
  /** Login CSRF (front-end/src/plugins/external/csrf.ts): a session is started only from this site. */
  crossOrigin: createError('BB_CROSS_ORIGIN', 'Signing in or registering from another site is refused. Open this site and use its own form.', 403),
  /** The JSON API takes JSON bodies only (front-end/src/plugins/external/formbody.ts). */
  unsupportedMediaType: createError('BB_UNSUPPORTED_MEDIA_TYPE', 'Send the body as JSON, with Content-Type: application/json.', 415),
  sessionInvalid: createError('BB_SESSION_INVALID', 'Your session is no longer valid. Please log in again.', 401),
  forbidden: createError<[string]>('BB_FORBIDDEN', '%s', 403),
  notFound: createError<[string]>('BB_NOT_FOUND', '%s not found.', 404),
  conflict: createError<[string]>('BB_CONFLICT', '%s', 409),
  passwordChangeRequired: createError(
    'BB_PASSWORD_CHANGE_REQUIRED',
    'You must change your initial password before doing anything else.',
    403,
  ),
  belowMinimumPrice: createError<[string, string, string]>(
    'BB_BELOW_MINIMUM_PRICE',
    '%s: %s is below the minimum unit price for alcohol; it must be at least %s.',
    400,
  ),
  paymentsMismatch: createError<[string, string]>('BB_PAYMENTS_MISMATCH', 'Payments add up to %s but the total is %s; they must match exactly.', 400),
  tabClosed: createError('BB_TAB_CLOSED', 'This tab is already closed.', 409),
  lineVoided: createError('BB_LINE_VOIDED', 'This line is already voided.', 409),
  emptyTab: createError('BB_EMPTY_TAB', 'This tab has nothing on it to pay for.', 400),
  alreadyRefunded: createError<[string]>('BB_ALREADY_REFUNDED', '%s', 409),
  nameTaken: createError<[string]>('BB_NAME_TAKEN', '%s', 409),
  rpcTimeout: createError<[number]>('BB_RPC_TIMEOUT', 'No worker answered within %d ms. Please try again.', 504),
  brokerUnavailable: createError<[string]>('BB_BROKER_UNAVAILABLE', 'The message broker is unavailable (%s). Please try again shortly.', 503),
  /** PIN sign-in on a till (docs/architecture.md, "A till is a device cookie; staff switch on it with a PIN"). */
  tillNotEnrolled: createError(
    'BB_TILL_NOT_ENROLLED',
    'This browser is not (or no longer) enrolled as a till. Log in with your email and password.',
    401,
  ),
  badPin: createError('BB_BAD_PIN', 'That PIN is not right. Check who is selected and try again.', 401),
  pinLocked: createError<[string]>('BB_PIN_LOCKED', 'Too many wrong PINs: this PIN is locked until %s. A manager can set a new one.', 429),
  tillRateLimited: createError('BB_RATE_LIMITED', 'Too many PIN attempts on this till. Wait a minute and try again.', 429),
  passwordRequired: createError(
    'BB_PASSWORD_REQUIRED',
    'Signed in with a PIN: staff accounts, tills, PINs and passwords need your email and password.',
    403,
  ),
} as const;

/**
 * A failure that will recur on every delivery of the same message (no
 * handler for the action, a reply that breaks the contract): the worker
 * dead-letters the message at once instead of trying it again. `retryable`
 * is how an error says so to the failure classification (@barback/db
 * classifyFailure); `message` is the reason, for the log and the dead letter.
 */
export class PermanentError extends Error {
  readonly retryable = false;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PermanentError';
  }
}

/** The wire form of an error inside a reply. */
export interface WireError {
  code: string;
  message: string;
  statusCode: number;
  /** The request field at fault, so a page can show the message beside it. */
  field?: string;
}

export interface CodedError extends Error {
  code: string;
  statusCode?: number;
  field?: string;
}

export function isCodedError(err: unknown): err is CodedError {
  return err instanceof Error && typeof (err as CodedError).code === 'string' && (err as CodedError).code.startsWith('BB_');
}

export function withField<E extends CodedError>(err: E, field: string): E {
  err.field = field;
  return err;
}

export function toWireError(err: CodedError): WireError {
  const wire: WireError = { code: err.code, message: err.message, statusCode: err.statusCode ?? 500 };
  if (err.field) wire.field = err.field;
  return wire;
}

/** Rebuilds a thrown error from its wire form so callers handle it like a local one. */
export function fromWireError(wire: WireError): CodedError {
  const err = new Error(wire.message) as CodedError;
  err.name = 'BarbackError';
  err.code = wire.code;
  err.statusCode = wire.statusCode;
  if (wire.field) err.field = wire.field;
  return err;
}
