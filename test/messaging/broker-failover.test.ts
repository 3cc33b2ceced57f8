import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Worker } from '@barback/back-end';
import { startFrontEnd, type TestFrontEnd } from '../helpers/app.js';
import { newAccount } from '../helpers/venue.js';
import { startWorker } from '../helpers/worker.js';
import { killRabbitNode, loadServices, restartRabbitNode } from '../helpers/services.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
let worker: Worker;
let otherWorker: Worker | null = null;
let frontEnd: TestFrontEnd;

beforeAll(async () => {
  // Both connect to the first URL of the list, the node this test stops; the
  // first worker declares the read queue there.
  worker = await startWorker();
  frontEnd = await startFrontEnd({ RPC_TIMEOUT_MS: '3000' });
  // This one is connected to another node: it survives the kill, but its read
  // consumer is cancelled when the read queue dies with its node.
  const [first, ...rest] = loadServices().amqpUrls;
  otherWorker = await startWorker({ AMQP_URLS: [...rest, first].join(',') });
});
afterAll(async () => {
  await frontEnd?.close();
  await worker?.stop();
  await otherWorker?.stop();
});

describe('a broker node dies', () => {
  it('front end and worker move to another node of the list, the quorum queue keeps working, and nothing answers 5xx but 503/504', async () => {
    const account = newAccount('broker');
    expect((await frontEnd.client().post('/api/v1/register', account, { csrf: false })).statusCode).toBe(201);

    await killRabbitNode(0);
    try {
      const seen: number[] = [];
      let ok = false;
      for (let i = 0; i < 60 && !ok; i += 1) {
        const res = await frontEnd.client().post('/api/v1/login', { email: account.email, password: account.password }, { csrf: false });
        seen.push(res.statusCode);
        ok = res.statusCode === 200;
        if (!ok) await sleep(500);
      }
      expect(ok).toBe(true);
      expect(seen.filter((s) => s !== 200 && s !== 503 && s !== 504)).toEqual([]);
      expect((await frontEnd.client().get('/readyz')).statusCode).toBe(200);
    } finally {
      await restartRabbitNode(0);
    }
    // Still serving with the node back, and by the worker that never lost its
    // connection alone: it consumes the read queue again after the cancel.
    await worker.stop();
    expect((await frontEnd.client().post('/api/v1/login', { email: account.email, password: account.password }, { csrf: false })).statusCode).toBe(200);
    expect((await frontEnd.client().post('/api/v1/register', newAccount('after'), { csrf: false })).statusCode).toBe(201);
  }, 120_000);
});
