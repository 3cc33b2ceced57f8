/**
 * DbCluster's transactions against the real primary: BEGIN pipelined with the
 * first statement, and statements answered with the COMMIT (withCommit).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { pino } from 'pino';
import { DbCluster, lsnToBigInt, parseHosts } from '@barback/db';
import { loadServices } from '../helpers/services.js';

const table = `cluster_probe_${process.pid}`;
let db: DbCluster;

beforeAll(async () => {
  const env = loadServices().dbEnv;
  db = new DbCluster({
    hosts: parseHosts(env.DB_HOSTS),
    database: env.DB_NAME,
    user: env.DB_USER,
    password: env.DB_PASSWORD,
    poolSize: 2,
    logger: pino({ level: 'silent' }),
  });
  await (await db.primary()).query(`CREATE TABLE ${table} (id int PRIMARY KEY, note text NOT NULL)`);
});

afterAll(async () => {
  await (await db.primary()).query(`DROP TABLE IF EXISTS ${table}`).catch(() => undefined);
  await db.close();
});

const count = async (id: number) =>
  Number((await (await db.primary()).query(`SELECT count(*) AS n FROM ${table} WHERE id = $1`, [id])).rows[0].n);

describe('DbCluster transactions', () => {
  it('commits what ran inside, and the statement sent with the COMMIT, and says where the commit put the WAL', async () => {
    const before = (await (await db.primary()).query('SELECT pg_current_wal_lsn()::text AS lsn')).rows[0].lsn as string;
    const { result, lsn } = await db.transactionWithLsn<string>(async (tx, withCommit) => {
      // The first statement is sent before BEGIN has been answered: it must still
      // run in the transaction, so a later statement sees the same transaction id.
      const first = await tx.query<{ xid: string }>('SELECT txid_current()::text AS xid');
      await tx.query(`INSERT INTO ${table} VALUES (1, 'inside')`);
      const later = await tx.query<{ xid: string }>('SELECT txid_current()::text AS xid');
      expect(later.rows[0]!.xid).toBe(first.rows[0]!.xid);
      withCommit(tx.query(`INSERT INTO ${table} VALUES (2, 'with the commit')`));
      withCommit(tx.query(`INSERT INTO ${table} VALUES (6, 'with the commit too')`));
      return 'done';
    });
    expect(result).toBe('done');
    expect(await count(1)).toBe(1);
    expect(await count(2)).toBe(1);
    expect(await count(6)).toBe(1);
    expect(lsnToBigInt(lsn)! > lsnToBigInt(before)!).toBe(true);
  });

  it('commits nothing when a statement answered with the COMMIT fails, and throws the first failure', async () => {
    await expect(
      db.transaction(async (tx, withCommit) => {
        await tx.query(`INSERT INTO ${table} VALUES (3, 'inside')`);
        // A duplicate key: the transaction aborts, so the statement behind it
        // fails as well (25P02) and the COMMIT can only roll back.
        withCommit(tx.query(`INSERT INTO ${table} VALUES (1, 'again')`));
        withCommit(tx.query(`INSERT INTO ${table} VALUES (7, 'behind the failure')`));
        return 'never';
      }),
    ).rejects.toMatchObject({ code: '23505' });
    expect(await count(3)).toBe(0);
    expect(await count(7)).toBe(0);
    // The connection is clean for the next transaction.
    await db.transaction(async (tx) => tx.query(`INSERT INTO ${table} VALUES (4, 'after')`));
    expect(await count(4)).toBe(1);
  });

  it("throws a withCommit statement's own error when a statement after it finds the transaction aborted", async () => {
    await expect(
      db.transaction(async (tx, withCommit) => {
        withCommit(tx.query(`INSERT INTO ${table} VALUES (1, 'again')`));
        await tx.query(`INSERT INTO ${table} VALUES (8, 'after the failure')`);
        return 'never';
      }),
    ).rejects.toMatchObject({ code: '23505' });
    expect(await count(8)).toBe(0);
  });

  it('rolls back everything when a statement inside fails', async () => {
    await expect(
      db.transaction(async (tx) => {
        await tx.query(`INSERT INTO ${table} VALUES (5, 'inside')`);
        await tx.query(`INSERT INTO ${table} VALUES (5, 'twice')`);
      }),
    ).rejects.toMatchObject({ code: '23505' });
    expect(await count(5)).toBe(0);
  });
});
