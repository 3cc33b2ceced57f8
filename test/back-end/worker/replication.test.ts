import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import type { Worker } from '@barback/back-end';
import { startFrontEnd, type TestFrontEnd } from '../../helpers/app.js';
import { newAccount } from '../../helpers/venue.js';
import { startWorker } from '../../helpers/worker.js';
import { loadServices } from '../../helpers/services.js';

let worker: Worker;
let frontEnd: TestFrontEnd;

beforeAll(async () => {
  worker = await startWorker();
  frontEnd = await startFrontEnd();
});
afterAll(async () => {
  await frontEnd?.close();
  await worker?.stop();
});

describe('primary and hot standby', () => {
  it('the worker writes to the primary and the write reaches the standby', async () => {
    const roles = worker.db.roles();
    expect(roles.primary).not.toBeNull();
    expect(roles.standby).not.toBeNull();
    expect(roles.standby).not.toBe(roles.primary);

    const account = newAccount('replica');
    const res = await frontEnd.client().post('/api/v1/register', account, { csrf: false });
    expect(res.statusCode).toBe(201);

    const standby = loadServices().postgres.find((p) => `${p.host}:${p.port}` === roles.standby)!;
    const client = new pg.Client({ connectionString: standby.url });
    await client.connect();
    try {
      expect((await client.query('SELECT pg_is_in_recovery() AS r')).rows[0].r).toBe(true);
      let found = 0;
      for (let i = 0; i < 50 && found === 0; i += 1) {
        const { rows } = await client.query('SELECT count(*)::int AS n FROM venues WHERE id = $1', [res.json().venue.id]);
        found = rows[0].n;
        if (!found) await new Promise((r) => setTimeout(r, 200));
      }
      expect(found).toBe(1);
      await expect(client.query("INSERT INTO venues (name) VALUES ('nope')")).rejects.toMatchObject({ code: '25006' });
    } finally {
      await client.end();
    }
  });

  it("the worker's connections plan a prepared statement once, on both servers", async () => {
    for (const pool of [await worker.db.primary(), await worker.db.standby()]) {
      const { rows } = await pool.query<{ plan_cache_mode: string }>('SHOW plan_cache_mode');
      expect(rows[0]!.plan_cache_mode).toBe('force_generic_plan');
    }
  });

  it('a read after a write goes to the standby only once the standby has replayed that write', async () => {
    const db = worker.db;
    const primary = await db.primary();
    const standby = await db.standby();
    expect(standby).not.toBe(primary);
    expect(await db.readPool(undefined)).toBe(standby);

    const { rows } = await primary.query<{ lsn: string }>("SELECT pg_current_wal_lsn()::text AS lsn");
    const written = rows[0]!.lsn;
    let pool = await db.readPool(written);
    for (let i = 0; i < 50 && pool !== standby; i += 1) {
      await new Promise((r) => setTimeout(r, 100));
      pool = await db.readPool(written);
    }
    expect(pool).toBe(standby);
    // What the standby was seen to replay must not stand for a position it has not reached.
    expect(await db.readPool('FFFFFFFF/0')).toBe(primary);
    expect(await db.readPool(written)).toBe(standby);
  });
});
