import { Type, type Static } from '@sinclair/typebox';
import type { WireError } from './errors.js';

export const Actor = Type.Object({
  staffId: Type.String({ format: 'uuid' }),
  venueId: Type.String({ format: 'uuid' }),
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

/** `lsn`: for writes, the WAL position just after the commit (see RequestEnvelope.minLsn). */
export type ReplyEnvelope = { ok: true; result: unknown; lsn?: string } | { ok: false; error: WireError };
