import type { ActionName, Actions, Actor, EmittedBy, EventType, KindOf, ReplyOf, RequestOf, SerializedReply, WriteActionName } from '@barback/messaging';
import type { Log as Logger } from '@barback/messaging';
import type { WithCommit } from '@barback/db';
import type { ActorRecord, Queryable } from '../types.js';
import type { Emit } from '../outbox/emitter.js';
import type { WorkerSettings } from '../config.js';

export type { ActorRecord, Queryable };

interface BaseContext {
  requestId: string;
  workerId: string;
  log: Logger;
  /** The worker's configuration a handler acts on (back-end/src/config.ts). */
  settings: WorkerSettings;
}

/**
 * A write runs once the caller has been checked, inside the transaction that
 * checked it: `actor` is the account as the database holds it, or null for an
 * action that needs no session.
 */
export interface WriteContext<Caller extends ActorRecord | null = ActorRecord | null, Emits extends EventType = EventType> extends BaseContext {
  actor: Caller;
  /**
   * Announces a change this write makes: the event goes into the outbox with
   * the COMMIT, or nowhere if the write rolls back. Only the types the action
   * declares (messaging/src/events/emitted-by.ts) type-check.
   */
  emit: Emit<Emits>;
  /** For a last statement whose answer the handler does not need: it is answered with the COMMIT. */
  withCommit: WithCommit;
}

/**
 * A read runs while the caller is checked on the primary, to save a round
 * trip: it gets only the ids the message names (null for an action that needs
 * no session), and its result is thrown away unless that check lets the caller in.
 */
export interface ReadContext<Caller extends Actor | null = Actor | null> extends BaseContext {
  actor: Caller;
}

/** Whether the contract has the worker check a session before the handler's result counts. */
type AuthOf<A extends ActionName> = Actions[A]['auth'];

/**
 * The context of action A's handler, typed from its contract: the actor is
 * never null for an action with `auth: 'session'` (dispatch refuses a message
 * without one before the handler runs, or before its result is used) and
 * always null for one with `auth: 'none'` (an unchecked actor is never handed on).
 */
export type HandlerContext<A extends ActionName> =
  KindOf<A> extends 'write'
    ? WriteContext<AuthOf<A> extends 'session' ? ActorRecord : null, A extends WriteActionName ? EmittedBy<A> : never>
    : ReadContext<AuthOf<A> extends 'session' ? Actor : null>;

/**
 * One file per action. A `write` handler gets the primary transaction's client;
 * a `read` handler gets the pool its contract asks for. It answers with the
 * reply, or with one it kept already written (SerializedReply).
 */
export interface Handler<A extends ActionName> {
  action: A;
  handle(db: Queryable, input: RequestOf<A>, ctx: HandlerContext<A>): Promise<ReplyOf<A> | SerializedReply<A>>;
}

export function defineHandler<A extends ActionName>(handler: Handler<A>): Handler<A> {
  return handler;
}
