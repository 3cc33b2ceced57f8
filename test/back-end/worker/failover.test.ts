import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import type { Worker } from '@barback/back-end';
import { startFrontEnd, type TestFrontEnd } from '../../helpers/app.js';
import { newAccount } from '../../helpers/venue.js';
import { startWorker } from '../../helpers/worker.js';
import { killPostgresNode, loadServices, postgresRoles, restartPostgresNode } from '../../helpers/services.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
let worker: Worker;
let frontEnd: TestFrontEnd;

beforeAll(async () => {
  worker = await startWorker();
  // Long enough to ride out Patroni's election (ttl 10 s) without the caller giving up.
  frontEnd = await startFrontEnd({ RPC_TIMEOUT_MS: '45000' });
});
afterAll(async () => {
  await frontEnd?.close();
  await worker?.stop();
});

async function countVenues(url: string, name: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query('SELECT count(*)::int AS n FROM venues WHERE name = $1', [name])).rows[0].n;
  } finally {
    await client.end();
  }
}

describe('the primary dies', () => {
  it('the standby is promoted and the worker finds it by itself; the old primary comes back as a standby', async () => {
    const before = await postgresRoles();
    const primary = before.find((n) => n.role === 'primary')!;
    const standby = before.find((n) => n.role === 'standby')!;
    expect(primary && standby).toBeTruthy();
    // Acknowledged just before the primary dies: the standby that is promoted has it.
    const acknowledged = newAccount('pre-failover');
    expect((await frontEnd.client().post('/api/v1/register', acknowledged, { csrf: false })).statusCode).toBe(201);

    await killPostgresNode(primary.name);
    const account = newAccount('failover');
    // Sent while there is no primary at all: the worker retries until the election is over.
    const res = await frontEnd.client().post('/api/v1/register', account, { csrf: false });
    expect(res.statusCode).toBe(201);

    const after = await postgresRoles();
    expect(after.find((n) => n.name === standby.name)?.role).toBe('primary');
    expect(worker.db.roles().primary).toBe(`${standby.host}:${standby.port}`);
    expect(await countVenues(standby.url, account.venueName)).toBe(1);
    expect(await countVenues(standby.url, acknowledged.venueName)).toBe(1);

    await restartPostgresNode(primary.name);
    let rejoined = false;
    for (let i = 0; i < 60 && !rejoined; i += 1) {
      rejoined = (await postgresRoles()).find((n) => n.name === primary.name)?.role === 'standby';
      if (!rejoined) await sleep(500);
    }
    expect(rejoined).toBe(true);
    // It streams again: the write made during its absence reaches it.
    const oldPrimary = loadServices().postgres.find((n) => n.name === primary.name)!;
    let replicated = 0;
    for (let i = 0; i < 60 && replicated === 0; i += 1) {
      replicated = await countVenues(oldPrimary.url, account.venueName).catch(() => 0);
      if (!replicated) await sleep(500);
    }
    expect(replicated).toBe(1);
  }, 120_000);
});
