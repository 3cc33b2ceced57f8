import type { HostPort } from './cluster.js';

export class NoPrimaryError extends Error {
  readonly code = 'BB_NO_PRIMARY';
  constructor(hosts: HostPort[]) {
    super(`no primary among ${hosts.map((h) => `${h.host}:${h.port}`).join(', ')}`);
  }
}

/**
 * What trying the same work again can do about a failure:
 * - `transient`: the cluster or the network was in the way (failover,
 *   restart, lost connection, lock or serialisation conflict); the same work
 *   can succeed in a moment, on this worker or another.
 * - `permanent`: it fails the same way every time (the database refused the
 *   data or the statement, or the code has a bug); trying again only delays
 *   the answer and repeats the work.
 * - `unknown`: nothing says which; worth a few more tries, but not forever.
 */
export type FailureKind = 'transient' | 'permanent' | 'unknown';

/** SQLSTATEs that say "not now" rather than "not this". */
const TRANSIENT_SQLSTATES = new Set([
  '25006', // read_only_sql_transaction: we reached a standby that was the primary a moment ago
  '40001', // serialization_failure (also a standby cancelling a query that conflicts with replay)
  '40P01', // deadlock_detected
  '55P03', // lock_not_available (lock_timeout, NOWAIT)
  '57014', // query_canceled (statement_timeout): depends on the load of the moment
  '57P01', // admin_shutdown: the node is being stopped or demoted
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now: starting up or in recovery
  '57P05', // idle_session_timeout: the server closed the connection
]);

/** Whole SQLSTATE classes that are about the server, not the statement. */
const TRANSIENT_SQLSTATE_CLASSES = new Set([
  '08', // connection_exception
  '53', // insufficient_resources: too_many_connections, out_of_memory, disk_full
  '58', // system_error: I/O error on the server
]);

/** Node's socket and DNS errors: the network, not the request. */
const TRANSIENT_ERRNO = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/**
 * SQLSTATE classes are two digits, or F0, HV, P0, XX: never an E, which is
 * how node's errno codes start (EPIPE is five letters too).
 */
const SQLSTATE = /^[0-9FHPX][0-9A-Z]{4}$/;

/**
 * Failures that come without a code: node-postgres and its pool losing or
 * not getting a connection, a server saying it is not ready, and amqplib's
 * closed channel or connection.
 */
const TRANSIENT_MESSAGE =
  /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|the database system is (starting up|shutting down|in recovery)|Channel closed|Connection closed/i;

/** JavaScript's own errors for code that is wrong: they recur on every try. */
const PROGRAMMING_ERRORS = [TypeError, RangeError, ReferenceError, SyntaxError, EvalError, URIError];

/**
 * The one classification of a failure by whether trying again can help. The
 * worker's dispatch retries `transient` ones while the caller still waits;
 * the RPC server dead-letters `permanent` ones on their first delivery and
 * requeues the rest up to the queue's delivery limit. An error can say for
 * itself with a boolean `retryable` (messaging's PermanentError does).
 */
export function classifyFailure(err: unknown): FailureKind {
  return classify(err, 0);
}

function classify(err: unknown, depth: number): FailureKind {
  if (typeof err !== 'object' || err === null) return 'unknown';
  const e = err as { code?: unknown; message?: unknown; retryable?: unknown; cause?: unknown; errors?: unknown };
  if (typeof e.retryable === 'boolean') return e.retryable ? 'transient' : 'permanent';
  if (err instanceof NoPrimaryError) return 'transient';
  if (typeof e.code === 'string') {
    if (TRANSIENT_ERRNO.has(e.code)) return 'transient';
    if (SQLSTATE.test(e.code)) {
      return TRANSIENT_SQLSTATES.has(e.code) || TRANSIENT_SQLSTATE_CLASSES.has(e.code.slice(0, 2)) ? 'transient' : 'permanent';
    }
  }
  if (typeof e.message === 'string' && TRANSIENT_MESSAGE.test(e.message)) return 'transient';
  // A wrapper (an AggregateError from connecting to several addresses, an
  // error with a cause) is as transient as what it wraps.
  if (depth < 3) {
    const inner: unknown[] = [e.cause, ...(Array.isArray(e.errors) ? (e.errors as unknown[]) : [])];
    if (inner.some((i) => i !== undefined && classify(i, depth + 1) === 'transient')) return 'transient';
  }
  if (PROGRAMMING_ERRORS.some((type) => err instanceof type)) return 'permanent';
  return 'unknown';
}

/** Errors worth retrying once the cluster has settled (failover, restart, network blip). */
export function isTransientDbError(err: unknown): boolean {
  return classifyFailure(err) === 'transient';
}
