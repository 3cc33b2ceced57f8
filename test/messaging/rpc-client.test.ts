import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import amqp from 'amqplib';
import { pino } from 'pino';
import { RpcClient } from '@barback/messaging';
import type { Worker } from '../../back-end/src/worker.js';
import { startWorker } from '../helpers/app.js';
import { loadServices } from '../helpers/services.js';

const lines: Array<{ msg: string; correlationId?: string }> = [];
const capture = new Writable({
  write(chunk: Buffer, _enc, done) {
    for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line));
    done();
  },
});

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

  it('answers fifty concurrent calls over the one reply queue', async () => {
    const replies = await Promise.all(Array.from({ length: 50 }, () => client.call('system.ping', {})));
    expect(replies).toHaveLength(50);
    expect(replies.every((r) => typeof r.at === 'string')).toBe(true);
  });
});
