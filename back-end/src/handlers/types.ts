import type { ActionName, Actor, KindOf, ReplyOf, RequestOf, SerializedReply } from '@barback/messaging';
import type { Log as Logger } from '@barback/messaging';
import type { WithCommit } from '@barback/db';
import type { ActorRecord, Queryable } from '../types.js';

export type { ActorRecord, Queryable };

interface BaseContext {
  requestId: string;
  workerId: string;
  log: Logger;
}

/** A write runs once the caller has been checked, inside the transaction that checked it. */
export interface WriteContext extends BaseContext {
  actor: ActorRecord | null;
  /** For a last statement whose answer the handler does not need: it is answered with the COMMIT. */
  withCommit: WithCommit;
}

/**
 * A read runs while the caller is checked on the primary, to save a round
 * trip: it gets only the ids the message names, and its result is thrown away
 * unless that check lets the caller in.
 */
export interface ReadContext extends BaseContext {
  actor: Actor | null;
}

export type HandlerContext<A extends ActionName = ActionName> = KindOf<A> extends 'write' ? WriteContext : ReadContext;

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
