import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import amqp from 'amqplib';
import { REQUEST_QUEUE } from '@barback/messaging';
import type { Worker } from '@barback/back-end';
import { startFrontEnd, type TestFrontEnd } from '../helpers/app.js';
import { newAccount } from '../helpers/venue.js';
import { startWorker } from '../helpers/worker.js';
import { loadServices } from '../helpers/services.js';

/** The premise of these tests: nothing consumes the request queue (workers of other files have stopped). */
async function expectNoConsumers(): Promise<void> {
  const connection = await amqp.connect(loadServices().amqpUrls[0]!);
  try {
    const channel = await connection.createChannel();
    let consumers = -1;
    for (let i = 0; i < 50 && consumers !== 0; i += 1) {
      consumers = (await channel.checkQueue(REQUEST_QUEUE)).consumerCount;
      if (consumers) await new Promise((r) => setTimeout(r, 200));
    }
    expect(consumers).toBe(0);
  } finally {
    await connection.close();
  }
}

const TIMEOUT_MS = 1500;
let frontEnd: TestFrontEnd;

beforeAll(async () => {
  frontEnd = await startFrontEnd({ RPC_TIMEOUT_MS: String(TIMEOUT_MS) });
  await expectNoConsumers();
});
afterAll(async () => {
  await frontEnd?.close();
});

describe('no worker consuming', () => {
  it('answers 504 once the timeout has passed, and the expired request is never applied later', async () => {
    const account = newAccount('late');
    const started = Date.now();
    const res = await frontEnd.client().post('/api/v1/register', account, { csrf: false });
    const elapsed = Date.now() - started;
    expect(res.statusCode).toBe(504);
    expect(res.json().error.code).toBe('BB_RPC_TIMEOUT');
    // It waited for the timeout rather than failing early, and did not hang past it.
    expect(elapsed).toBeGreaterThanOrEqual(TIMEOUT_MS);
    expect(elapsed).toBeLessThan(TIMEOUT_MS + 5000);

    // A worker that turns up afterwards must not create the account nobody waited for.
    let worker: Worker | null = null;
    try {
      worker = await startWorker();
      const ping = await frontEnd.client().post('/api/v1/login', { email: account.email, password: account.password }, { csrf: false });
      expect(ping.statusCode).toBe(401);
      const primary = await worker.db.primary();
      const { rows } = await primary.query('SELECT count(*)::int AS n FROM venues WHERE name = $1', [account.venueName]);
      expect(rows[0].n).toBe(0);
    } finally {
      await worker?.stop();
    }
  });

  it('shows the page with the reason rather than hanging', async () => {
    const client = frontEnd.client();
    const page = await client.get('/login');
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!;
    const res = await client.request({
      method: 'POST',
      url: '/login',
      payload: new URLSearchParams({ _csrf: csrf, email: 'a@example.ie', password: 'whatever pw' }).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(res.statusCode).toBe(504);
    expect(res.body).toContain('No worker answered within');
  });
});

describe('broker unreachable', () => {
  it('answers 503 at once and /readyz says not ready', async () => {
    const offline = await startFrontEnd({ AMQP_URLS: 'amqp://nobody:nothing@127.0.0.1:1' }, { waitForBroker: false });
    try {
      const res = await offline.client().post('/api/v1/login', { email: 'a@example.ie', password: 'whatever' }, { csrf: false });
      expect(res.statusCode).toBe(503);
      expect(res.json().error.code).toBe('BB_BROKER_UNAVAILABLE');
      const ready = await offline.client().get('/readyz');
      expect(ready.statusCode).toBe(503);
      expect(ready.json().broker).toBe('disconnected');
      expect((await offline.client().get('/healthz')).statusCode).toBe(200);
    } finally {
      await offline.close();
    }
  });
});
