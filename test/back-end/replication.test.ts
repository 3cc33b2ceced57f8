import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import type { Worker } from '../../back-end/src/worker.js';
import { newAccount, startFrontEnd, startWorker, type TestFrontEnd } from '../helpers/app.js';
import { loadServices } from '../helpers/services.js';

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
});
