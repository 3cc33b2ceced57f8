import type { TSchema } from '@sinclair/typebox';

/**
 * `write` actions run in one primary transaction guarded by the request id, so a
 * redelivered or resubmitted request takes effect once. `read` actions go to a
 * standby unless they must see the caller's own writes (`consistency: 'primary'`).
 */
export type ActionKind = 'read' | 'write';

/** Whether an action needs a logged-in caller (see ActionDefinition's `auth`). */
export type ActionAuth = 'none' | 'session';

export interface ActionDefinition<
  Req extends TSchema = TSchema,
  Rep extends TSchema = TSchema,
  K extends ActionKind = ActionKind,
  Au extends ActionAuth = ActionAuth,
> {
  kind: K;
  consistency?: 'primary' | 'standby';
  /** `session`: the message must carry an actor, checked by the worker against the database. */
  auth: Au;
  /** Only managers; anyone else gets 403 and the attempt goes in the audit log. */
  role?: 'manager';
  /** Allowed while the account still has to change its initial password (everything else answers 403). */
  allowBeforePasswordChange?: boolean;
  request: Req;
  reply: Rep;
}

/** Keeps `kind` and `auth` as literal types, so the back end can type a handler's context by them. */
export function defineAction<Req extends TSchema, Rep extends TSchema, K extends ActionKind, Au extends ActionAuth>(
  def: ActionDefinition<Req, Rep, K, Au>,
): ActionDefinition<Req, Rep, K, Au> {
  return def;
}
