import type { Queryable } from '../types.js';

/**
 * Failed logins, counted under two keys (migration 0012): the pair of an
 * email and a client address, and the client address across every email.
 * Each key's hold doubles with its failures once it has used its free ones,
 * up to HOLD_MAX_SECONDS; a key with no failure for FORGET starts again.
 * Nothing is counted per account alone, so a guesser elsewhere never holds
 * the account's owner.
 */
export const LOGIN_HOLDS = {
  /** One person mistyping: three free tries, then 1 s, 2 s, 4 s… */
  pairFree: 3,
  /**
   * A whole address across accounts: a bar's staff share one public address,
   * so it is generous; it stops one address trying a password on many accounts.
   */
  clientFree: 30,
  maxSeconds: 15 * 60,
  forget: '1 hour',
} as const;

export function pairKey(email: string, client: string): string {
  return `account:${email}|${client}`;
}

export function clientKey(client: string): string {
  return `client:${client}`;
}

/** Seconds the longest hold on any of `keys` has left, or null when none is held. */
export async function heldFor(db: Queryable, keys: string[]): Promise<number | null> {
  const { rows } = await db.query<{ seconds: number | null }>(
    `SELECT ceil(extract(epoch FROM max(held_until) - clock_timestamp()))::int AS seconds
       FROM login_failures WHERE key = ANY($1) AND held_until > clock_timestamp()`,
    [keys],
  );
  const seconds = rows[0]?.seconds ?? null;
  return seconds === null ? null : Math.max(seconds, 1);
}

/** The hold after `failures` failures of a key with `free` free ones, as SQL (seconds). */
function holdSql(failures: string, free: string): string {
  return `CASE WHEN ${failures} < ${free} THEN 0 ELSE least(power(2, ${failures} - ${free}), ${String(LOGIN_HOLDS.maxSeconds)}) END`;
}

const NEXT = 'CASE WHEN t.last_failure_at < now() - $3::interval THEN 1 ELSE t.failures + 1 END';

const RECORD_SQL = `
  INSERT INTO login_failures AS t (key, failures, last_failure_at, held_until)
  VALUES ($1, 1, now(), now() + make_interval(secs => ${holdSql('1', '$2')}))
  ON CONFLICT (key) DO UPDATE SET
    failures = ${NEXT},
    last_failure_at = now(),
    held_until = now() + make_interval(secs => ${holdSql(`(${NEXT})`, '$2')})`;

/**
 * Counts one failure under the pair's key and the client's, forgets a batch
 * of keys idle for longer than FORGET (through the index, so the table stays
 * the size of an hour's failures), and answers the longest hold now on either.
 */
export async function recordFailure(db: Queryable, keys: { pair: string; client: string }): Promise<number | null> {
  await Promise.all([
    db.query(RECORD_SQL, [keys.pair, LOGIN_HOLDS.pairFree, LOGIN_HOLDS.forget]),
    db.query(RECORD_SQL, [keys.client, LOGIN_HOLDS.clientFree, LOGIN_HOLDS.forget]),
    db.query(
      `DELETE FROM login_failures WHERE key IN (
         SELECT key FROM login_failures WHERE last_failure_at < now() - $1::interval ORDER BY last_failure_at LIMIT 100)`,
      [LOGIN_HOLDS.forget],
    ),
  ]);
  return heldFor(db, [keys.pair, keys.client]);
}

/**
 * A right password forgives the pair's failures, not the client's: an
 * address spraying guesses over many accounts cannot wipe its count by
 * signing in to an account of its own.
 */
export async function forgetPairFailures(db: Queryable, pair: string): Promise<void> {
  await db.query('DELETE FROM login_failures WHERE key = $1', [pair]);
}
