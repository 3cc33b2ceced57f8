import { Type, type Static } from '@sinclair/typebox';

export const Actor = Type.Object({
  staffId: Type.String({ format: 'uuid' }),
  venueId: Type.String({ format: 'uuid' }),
  /**
   * The signed-in session the front end acts for (its encrypted cookie names
   * it; migration 0012): the worker refuses a session that has ended in the
   * same read that checks the account. The front end always sends it; only
   * callers inside the system (tests, the benchmark's direct server) leave it out.
   */
  sessionId: Type.Optional(Type.String({ format: 'uuid' })),
});
export type Actor = Static<typeof Actor>;

/** The body of every request message. */
export const RequestEnvelope = Type.Object({
  v: Type.Literal(1),
  action: Type.String({ minLength: 1 }),
  /** Stable across retries of the same logical request: the key writes are de-duplicated on. */
  requestId: Type.String({ minLength: 8, maxLength: 200 }),
  actor: Type.Union([Actor, Type.Null()]),
  /** Epoch ms after which the caller no longer waits; a worker skips work past it. */
  deadline: Type.Integer(),
  /**
   * WAL position of the caller's last write. A read may use a standby only once
   * the standby has replayed this far, so callers always see their own writes.
   */
  minLsn: Type.Optional(Type.String({ pattern: '^[0-9A-F]{1,8}/[0-9A-F]{1,8}$' })),
  payload: Type.Unknown(),
});
export type RequestEnvelope = Static<typeof RequestEnvelope>;

/**
 * A reply is the result's JSON alone, so that a front end can hand it to its
 * HTTP client without parsing it again; what it is travels in the message's
 * properties: `type` is `result` or `error` (the body then is a WireError),
 * and a write's reply carries, in the `x-barback-lsn` header, the WAL position
 * just after its commit (see RequestEnvelope.minLsn).
 */
export const REPLY_RESULT = 'result';
export const REPLY_ERROR = 'error';
export const LSN_HEADER = 'x-barback-lsn';
