import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import type { Worker } from '@barback/back-end';
import { startFrontEnd, type TestFrontEnd } from '../../helpers/app.js';
import { newAccount } from '../../helpers/venue.js';
import { startWorker } from '../../helpers/worker.js';
import { loadServices, workerEnv } from '../../helpers/services.js';
import { primaryUrl } from '../../helpers/postgres.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

async function waitFor<T>(what: string, fn: () => Promise<T | null | undefined | false>, timeoutMs = 30_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    const value = await fn().catch(() => null);
    if (value) return value;
    await sleep(100);
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** The worker as a separate process, so it can be killed outright. */
async function spawnWorker(name: string): Promise<ChildProcess> {
  const port = await freePort();
  const log = createWriteStream(join(loadServices().logDir, `${name}.log`), { flags: 'a' });
  const child = spawn(process.execPath, ['back-end/dist/server.js'], {
    env: { ...process.env, ...workerEnv(), WORKER_ID: name, HEALTH_PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  await waitFor('the worker to be ready', async () => (await fetch(`http://127.0.0.1:${port}/readyz`)).ok);
  return child;
}

let frontEnd: TestFrontEnd;
let lock: pg.Client;
/** A second session: pg_stat_activity is a snapshot fixed for the length of a transaction, so the lock holder cannot watch. */
let watcher: pg.Client;

beforeAll(async () => {
  frontEnd = await startFrontEnd({ RPC_TIMEOUT_MS: '60000' });
  const url = await primaryUrl();
  lock = new pg.Client({ connectionString: url });
  watcher = new pg.Client({ connectionString: url });
  await Promise.all([lock.connect(), watcher.connect()]);
});
afterAll(async () => {
  await lock?.end();
  await watcher?.end();
  await frontEnd?.close();
});

describe('a worker killed between receiving and acking', () => {
  it('loses nothing: another worker applies the request once and the caller gets its answer', async () => {
    const doomed = await spawnWorker('doomed-worker');
    let rescuer: Worker | null = null;
    try {
      // Hold the worker inside its transaction: its INSERT waits on this lock.
      await lock.query('BEGIN');
      await lock.query('LOCK TABLE venues IN SHARE ROW EXCLUSIVE MODE');

      const account = newAccount('crash');
      const pending = frontEnd.client().post('/api/v1/register', account, { csrf: false });

      await waitFor('the worker to block on the lock', async () => {
        const { rows } = await watcher.query(
          "SELECT count(*)::int AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE 'INSERT INTO venues%'",
        );
        return rows[0].n > 0;
      });

      const exited = new Promise((r) => doomed.once('exit', r));
      doomed.kill('SIGKILL');
      await exited;
      await lock.query('ROLLBACK');

      rescuer = await startWorker();
      const res = await pending;
      expect(res.statusCode).toBe(201);
      expect(res.json().venue.name).toBe(account.venueName);

      const primary = await rescuer.db.primary();
      const { rows } = await primary.query('SELECT count(*)::int AS n FROM venues WHERE name = $1', [account.venueName]);
      expect(rows[0].n).toBe(1);
      const login = await frontEnd.client().post('/api/v1/login', { email: account.email, password: account.password }, { csrf: false });
      expect(login.statusCode).toBe(200);
    } finally {
      await lock.query('ROLLBACK').catch(() => undefined);
      if (doomed.exitCode === null && doomed.signalCode === null) doomed.kill('SIGKILL');
      await rescuer?.stop();
    }
  });
});
