import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import amqp from 'amqplib';
import { pino } from 'pino';
import { RpcClient } from '@barback/messaging';
import type { Worker } from '@barback/back-end';
import { startWorker } from '../helpers/worker.js';
import { loadServices } from '../helpers/services.js';

const lines: Array<{ msg: string; correlationId?: string }> = [];
const capture = new Writable({
  write(chunk: Buffer, _enc, done) {
    for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line));
    done();
  },
});

// Any argon2id-shaped string will do: the worker stores the hash the front end made.
const HASH = '$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA';
let client: RpcClient;
let worker: Worker;

beforeAll(async () => {
  worker = await startWorker();
  client = new RpcClient({ urls: loadServices().amqpUrls, logger: pino({ level: 'info' }, capture), timeoutMs: 5000, connectionName: 'rpc client test' });
  client.start();
  await client.waitForConnect();
});
afterAll(async () => {
  await client?.close();
  await worker?.stop();
});

describe('replies', () => {
  it('drops and logs a reply whose correlation id it never sent, and keeps working', async () => {
    const connection = await amqp.connect(loadServices().amqpUrls[1]!);
    try {
      const channel = await connection.createChannel();
      channel.sendToQueue(client.replyQueueName!, Buffer.from(JSON.stringify({ ok: true, result: { stolen: true } })), {
        correlationId: 'not-one-of-ours',
      });
      await channel.close();
    } finally {
      await connection.close();
    }
    let logged = false;
    for (let i = 0; i < 50 && !logged; i += 1) {
      logged = lines.some((l) => l.msg === 'dropping reply with unknown correlation id' && l.correlationId === 'not-one-of-ours');
      if (!logged) await new Promise((r) => setTimeout(r, 100));
    }
    expect(logged).toBe(true);
    const pong = await client.call('system.ping', {});
    expect(pong.workerId).toMatch(/^test-worker-/);
  });

  it('callJson hands over the reply bytes as the worker sent them, and a write still reports its commit position', async () => {
    const bytes = await client.callJson('system.ping', {});
    expect(Buffer.isBuffer(bytes)).toBe(true);
    expect(JSON.parse(bytes.toString('utf8'))).toEqual({ workerId: expect.stringMatching(/^test-worker-/), at: expect.any(String) });

    let committed: string | undefined;
    const suffix = Math.random().toString(36).slice(2);
    const session = await client.callJson(
      'auth.register',
      { venueName: `Json ${suffix}`, name: 'Jay', email: `json-${suffix}@example.ie`, passwordHash: HASH },
      { onCommitted: (lsn) => (committed = lsn) },
    );
    expect(JSON.parse(session.toString('utf8'))).toMatchObject({ staff: { name: 'Jay', role: 'manager' }, venue: { name: `Json ${suffix}` } });
    expect(committed).toMatch(/^[0-9A-F]+\/[0-9A-F]+$/);
    // Refusals arrive as errors, not as text.
    await expect(
      client.callJson('auth.register', { venueName: 'Again', name: 'Jay', email: `json-${suffix}@example.ie`, passwordHash: HASH }),
    ).rejects.toMatchObject({ code: 'BB_EMAIL_TAKEN' });
  });

  it('answers fifty concurrent calls over the one reply queue', async () => {
    const replies = await Promise.all(Array.from({ length: 50 }, () => client.call('system.ping', {})));
    expect(replies).toHaveLength(50);
    expect(replies.every((r) => typeof r.at === 'string')).toBe(true);
  });
});
