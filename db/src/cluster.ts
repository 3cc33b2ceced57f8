import pg from 'pg';
import type { Logger } from 'pino';
import { NoPrimaryError, isTransientDbError } from './errors.js';

export interface HostPort {
  host: string;
  port: number;
}

export interface DbClusterOptions {
  hosts: HostPort[];
  database: string;
  user: string;
  password: string;
  /** Connections per host. */
  poolSize: number;
  logger: Logger;
  connectTimeoutMs?: number;
}

export function parseHosts(list: string): HostPort[] {
  return list
    .split(',')
    .map((h) => h.trim())
    .filter(Boolean)
    .map((h) => {
      const i = h.lastIndexOf(':');
      return i > 0 ? { host: h.slice(0, i), port: Number(h.slice(i + 1)) } : { host: h, port: 5432 };
    });
}

/** A pg_lsn's text ("16/B374D848") as a number that compares; null when it is not one. */
export function lsnToBigInt(lsn: string | null): bigint | null {
  const m = lsn ? /^([0-9A-Fa-f]{1,8})\/([0-9A-Fa-f]{1,8})$/.exec(lsn) : null;
  return m ? (BigInt(`0x${m[1]}`) << 32n) | BigInt(`0x${m[2]}`) : null;
}

/**
 * Hands the transaction a statement already sent on its client, to be
 * answered with the COMMIT instead of a round trip before it: the server runs
 * it and commits straight after, so row locks it takes are held only for the
 * commit, not also for a trip back to this process and the work done here
 * meanwhile. If it fails, the COMMIT can only roll back, and its error (the
 * first, in the order sent) is what the transaction throws.
 */
export type WithCommit = (statement: Promise<unknown>) => void;

export type TransactionBody<T> = (client: pg.PoolClient, withCommit: WithCommit) => Promise<T>;

/**
 * After a statement fails, every later one in the transaction fails with
 * 25P02 (in_failed_sql_transaction). When a statement handed to withCommit
 * failed and `fn` then stumbled on that, the statement's own error is the one
 * that says what went wrong.
 */
async function firstFailure(caught: unknown, sent: readonly Promise<unknown>[]): Promise<unknown> {
  // Anything can be thrown, null included.
  if ((caught as { code?: string } | null | undefined)?.code !== '25P02') return caught;
  for (const statement of sent) {
    const failure = await statement.then(
      () => undefined,
      (err: unknown) => err,
    );
    if (failure && (failure as { code?: string }).code !== '25P02') return failure;
  }
  return caught;
}

/**
 * Pools over a list of Postgres hosts that finds the primary itself (as libpq's
 * target_session_attrs=read-write does) and prefers a standby for reads. After
 * a failover the first error clears the cached roles and the next call finds
 * the new primary, so nothing is wired to one host.
 */
export class DbCluster {
  private readonly pools = new Map<string, pg.Pool>();
  private primaryKey: string | null = null;
  private standbyKey: string | null = null;
  private discovering: Promise<void> | null = null;
  /** The furthest WAL position the standby was seen to have replayed. */
  private replayed: { key: string; lsn: bigint } | null = null;

  constructor(private readonly options: DbClusterOptions) {
    if (options.hosts.length === 0) throw new Error('DbCluster needs at least one host');
  }

  private pool(hp: HostPort): pg.Pool {
    const key = `${hp.host}:${hp.port}`;
    let pool = this.pools.get(key);
    if (!pool) {
      pool = new pg.Pool({
        host: hp.host,
        port: hp.port,
        database: this.options.database,
        user: this.options.user,
        password: this.options.password,
        max: this.options.poolSize,
        connectionTimeoutMillis: this.options.connectTimeoutMs ?? 3000,
        idleTimeoutMillis: 30_000,
        keepAlive: true,
        application_name: 'barback',
        // A statement is sent without waiting for the one before it to be
        // answered (node-postgres' pipelining): see run().
        pipeline: true,
        // Every parameterised query here finds a venue's rows through an index
        // (by key, or by venue and time range), so one plan suits every value.
        // Left to choose, Postgres kept re-planning named statements on each
        // call (a custom plan looked cheaper on paper): 0.2 ms of standby CPU
        // on every listProducts, more than its execution on a small catalogue.
        // It applies to unnamed parameterised queries as well.
        options: '-c plan_cache_mode=force_generic_plan',
      });
      // An idle connection dying (node stopped, failover) must not crash the worker.
      pool.on('error', (err) => {
        this.options.logger.warn({ host: key, err: err.message }, 'idle database connection lost');
        this.forgetRoles();
      });
      this.pools.set(key, pool);
    }
    return pool;
  }

  /** Asks every host whether it is in recovery; concurrent callers share one round. */
  async discover(): Promise<void> {
    if (!this.discovering) {
      this.discovering = this.doDiscover().finally(() => {
        this.discovering = null;
      });
    }
    return this.discovering;
  }

  private async doDiscover(): Promise<void> {
    const results = await Promise.all(
      this.options.hosts.map(async (hp) => {
        try {
          const { rows } = await this.pool(hp).query<{ standby: boolean }>('SELECT pg_is_in_recovery() AS standby');
          return { key: `${hp.host}:${hp.port}`, standby: rows[0]?.standby ?? true };
        } catch (err) {
          this.options.logger.debug({ host: `${hp.host}:${hp.port}`, err: (err as Error).message }, 'host not reachable');
          return null;
        }
      }),
    );
    const primary = results.find((r) => r && !r.standby) ?? null;
    const standby = results.find((r) => r && r.standby) ?? null;
    if (primary?.key !== this.primaryKey || standby?.key !== this.standbyKey) {
      this.options.logger.info({ primary: primary?.key ?? null, standby: standby?.key ?? null }, 'database roles');
    }
    this.primaryKey = primary?.key ?? null;
    this.standbyKey = standby?.key ?? null;
  }

  forgetRoles(): void {
    this.primaryKey = null;
    this.standbyKey = null;
    this.replayed = null;
  }

  async primary(): Promise<pg.Pool> {
    if (!this.primaryKey) await this.discover();
    const pool = this.primaryKey ? this.pools.get(this.primaryKey) : undefined;
    if (!pool) throw new NoPrimaryError(this.options.hosts);
    return pool;
  }

  /** A standby when one is up, else the primary: reads keep working with one node down. */
  async standby(): Promise<pg.Pool> {
    if (!this.primaryKey && !this.standbyKey) await this.discover();
    const pool = this.standbyKey ? this.pools.get(this.standbyKey) : undefined;
    return pool ?? this.primary();
  }

  /** Runs `fn` in one transaction on the primary; rolls back on any error. */
  async transaction<T>(fn: TransactionBody<T>): Promise<T> {
    return (await this.run(fn, false)).result;
  }

  /**
   * The same, also returning the WAL position just after the commit: a standby
   * that has replayed up to it has this transaction's effects.
   */
  async transactionWithLsn<T>(fn: TransactionBody<T>): Promise<{ result: T; lsn: string }> {
    const { result, lsn } = await this.run(fn, true);
    // The SELECT after the COMMIT always answers one row.
    if (lsn === undefined) throw new Error('the COMMIT returned no WAL position');
    return { result, lsn };
  }

  /**
   * The pools' clients pipeline (see the pool options), so neither end of a
   * transaction costs a round trip of its own: BEGIN goes out with the first
   * statement of `fn`, and statements `fn` hands to withCommit are answered
   * with the COMMIT. BEGIN fails only with the connection, and then so does
   * the statement behind it.
   */
  private async run<T>(fn: TransactionBody<T>, withLsn: boolean): Promise<{ result: T; lsn?: string }> {
    const pool = await this.primary();
    const client = await pool.connect();
    let broken = false;
    // A checked-out client has no listener of the pool's: a connection that
    // dies between two statements of the transaction (the primary killed)
    // would emit an 'error' nobody handles, and that crashes the worker. The
    // relay-failover test found it: two of three workers died at a failover.
    // The next statement fails anyway; this only marks the client broken.
    const onError = () => {
      broken = true;
    };
    client.on('error', onError);
    let committing: Promise<unknown> | undefined;
    const sent: Promise<unknown>[] = [];
    const withCommit: WithCommit = (statement) => {
      statement.catch(() => undefined);
      sent.push(statement);
    };
    const begun = client.query('BEGIN');
    begun.catch(() => undefined);
    try {
      const result = await fn(client, withCommit);
      await begun;
      // A multi-statement simple query: the LSN in the same round trip.
      const commit = client.query(withLsn ? 'COMMIT; SELECT pg_current_wal_lsn()::text AS lsn' : 'COMMIT') as Promise<unknown>;
      committing = commit;
      commit.catch(() => undefined);
      // A failure among them left the transaction aborted, so the COMMIT
      // rolled back: the caller gets the first.
      for (const statement of sent) await statement;
      const results = [await commit].flat() as pg.QueryResult<{ lsn: string }>[];
      if (results[0]?.command !== 'COMMIT') throw new Error(`the transaction ended in ${results[0]?.command ?? 'nothing'}, not COMMIT`);
      return withLsn ? { result, lsn: results[1]?.rows[0]?.lsn } : { result };
    } catch (caught) {
      const err = await firstFailure(caught, sent);
      broken = isTransientDbError(err);
      await begun.catch(() => undefined);
      await committing?.catch(() => undefined);
      await client.query('ROLLBACK').catch(() => {
        broken = true;
      });
      if (broken) this.forgetRoles();
      throw err;
    } finally {
      client.removeListener('error', onError);
      client.release(broken);
    }
  }

  /**
   * A pool whose node has the effects of every transaction up to `minLsn`: the
   * standby when it has replayed that far (or no position is given), else the primary.
   */
  async readPool(minLsn: string | undefined): Promise<pg.Pool> {
    const standby = await this.standby();
    if (!minLsn || standby === this.pools.get(this.primaryKey ?? '')) return standby;
    // Replay only moves forward on one standby, so a position seen once saves
    // asking again for every read of a write already replayed.
    const wanted = lsnToBigInt(minLsn);
    const seen = this.replayed;
    if (seen && seen.key === this.standbyKey && wanted !== null && seen.lsn >= wanted) return standby;
    try {
      const key = this.standbyKey;
      const { rows } = await standby.query<{ replayed: string | null }>({
        name: 'barback-replay-lsn',
        text: 'SELECT pg_last_wal_replay_lsn()::text AS replayed',
      });
      const replayed = lsnToBigInt(rows[0]?.replayed ?? null);
      if (replayed !== null && key) this.replayed = { key, lsn: replayed };
      if (replayed !== null && wanted !== null && replayed >= wanted) return standby;
    } catch (err) {
      this.options.logger.debug({ err: (err as Error).message }, 'standby not usable for this read');
    }
    return this.primary();
  }

  roles(): { primary: string | null; standby: string | null } {
    return { primary: this.primaryKey, standby: this.standbyKey };
  }

  async close(): Promise<void> {
    await Promise.all([...this.pools.values()].map((p) => p.end().catch(() => undefined)));
    this.pools.clear();
  }
}
