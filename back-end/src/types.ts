import type { QueryConfig, QueryResult, QueryResultRow } from 'pg';

/**
 * Types shared by handlers and queries. Queries import from here, never from
 * handlers/, so the SQL layer does not depend on the layer that calls it.
 */

/** A pool or a transaction's client: handlers and queries need not care which. */
export interface Queryable {
  query<R extends QueryResultRow = QueryResultRow>(text: string | QueryConfig, values?: unknown[]): Promise<QueryResult<R>>;
}

/** The caller, as the worker loaded it from the database (never trusted from the message alone). */
export interface ActorRecord {
  staffId: string;
  venueId: string;
  role: 'manager' | 'bartender';
  name: string;
  mustChangePassword: boolean;
  /** The live session the request came from (null when the message named none: see Actor.sessionId). */
  sessionId: string | null;
}
