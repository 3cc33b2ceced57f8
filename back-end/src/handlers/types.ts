import type { ActionName, ReplyOf, RequestOf } from '@barback/messaging';
import type { QueryResult, QueryResultRow } from 'pg';
import type { Log as Logger } from '@barback/messaging';

/** A pool or a transaction's client: handlers need not care which. */
export interface Queryable {
  query<R extends QueryResultRow = QueryResultRow>(text: string, values?: unknown[]): Promise<QueryResult<R>>;
}

/** The caller, as the worker loaded it from the database (never trusted from the message alone). */
export interface ActorRecord {
  staffId: string;
  venueId: string;
  role: 'manager' | 'bartender';
  name: string;
  mustChangePassword: boolean;
}

export interface HandlerContext {
  actor: ActorRecord | null;
  requestId: string;
  workerId: string;
  log: Logger;
}

/**
 * One file per action. A `write` handler gets the primary transaction's client;
 * a `read` handler gets the pool its contract asks for.
 */
export interface Handler<A extends ActionName> {
  action: A;
  handle(db: Queryable, input: RequestOf<A>, ctx: HandlerContext): Promise<ReplyOf<A>>;
}

export function defineHandler<A extends ActionName>(handler: Handler<A>): Handler<A> {
  return handler;
}
