import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import amqp, { type Channel, type ChannelModel, type GetMessage } from 'amqplib';
import { pino } from 'pino';
import { classifyFailure } from '@barback/db';
import {
  DEAD_LETTER_QUEUE,
  DELIVERY_LIMIT,
  READ_QUEUE,
  REASON_HEADER,
  REFERENCE_HEADER,
  REQUEST_QUEUE,
  RpcClient,
  RpcServer,
  assertTopology,
} from '@barback/messaging';
import type { Worker } from '@barback/back-end';
import { startWorker } from '../helpers/worker.js';
import { loadServices } from '../helpers/services.js';

const silent = pino({ level: 'silent' });
let connection: ChannelModel;
let channel: Channel;
let client: RpcClient;

beforeAll(async () => {
  connection = await amqp.connect(loadServices().amqpUrls[0]!);
  channel = await connection.createChannel();
  await assertTopology(channel);
  await channel.purgeQueue(DEAD_LETTER_QUEUE);
  client = new RpcClient({ urls: loadServices().amqpUrls, logger: silent, timeoutMs: 5000, connectionName: 'dead-letter test' });
  client.start();
  await client.waitForConnect();
});

afterAll(async () => {
  await client?.close();
  await connection?.close();
});

function publishRaw(body: Buffer, props: { type?: string } = {}, queue = REQUEST_QUEUE): string {
  const messageId = randomUUID();
  channel.sendToQueue(queue, body, { messageId, persistent: true, contentType: 'application/json', ...props });
  return messageId;
}

/** Reads the dead-letter queue until the message with this id shows up. */
async function findDeadLetter(messageId: string, timeoutMs = 20_000): Promise<GetMessage> {
  const until = Date.now() + timeoutMs;
  const seen: GetMessage[] = [];
  try {
    while (Date.now() < until) {
      const msg = await channel.get(DEAD_LETTER_QUEUE, { noAck: false });
      if (!msg) {
        await new Promise((r) => setTimeout(r, 100));
        continue;
      }
      if (msg.properties.messageId === messageId) {
        channel.ack(msg);
        return msg;
      }
      seen.push(msg);
    }
  } finally {
    for (const m of seen) channel.nack(m, false, true);
  }
  throw new Error(`message ${messageId} never reached ${DEAD_LETTER_QUEUE}`);
}

const envelope = (action: string, payload: unknown) =>
  Buffer.from(JSON.stringify({ v: 1, action, requestId: randomUUID(), actor: null, deadline: Date.now() + 60_000, payload }));

describe('poison messages with a real worker', () => {
  let worker: Worker;
  beforeAll(async () => {
    worker = await startWorker();
  });
  afterAll(async () => {
    await worker?.stop();
  });

  it.each([
    ['unparseable JSON', Buffer.from('{not json'), /unparseable JSON/],
    ['an unknown action', envelope('bar.freeDrinks', {}), /unknown action "bar.freeDrinks"/],
    ['a payload that fails its schema', envelope('auth.beginLogin', { email: 42, client: '127.0.0.1' }), /fails the auth.beginLogin schema: email/],
    ['a broken envelope', Buffer.from(JSON.stringify({ v: 1, action: 'system.ping' })), /invalid envelope/],
  ])('dead-letters %s with the reason, and keeps serving', async (_name, body, reason) => {
    const id = publishRaw(body);
    const dead = await findDeadLetter(id);
    expect(String(dead.properties.headers?.[REASON_HEADER])).toMatch(reason);
    expect(String(dead.properties.headers?.[REFERENCE_HEADER])).toMatch(/^[0-9a-f]{10}$/);
    expect(dead.content.equals(body)).toBe(true);

    const pong = await client.call('system.ping', {});
    expect(pong.workerId).toMatch(/^test-worker-/);
  });
});

describe('a message that keeps failing', () => {
  // An error nothing classifies (not the database's, not a bug JavaScript names) might be the moment: it gets the queue's tries.
  it(`is dead-lettered after ${DELIVERY_LIMIT} attempts with the last error, and the consumer lives on`, async () => {
    let attempts = 0;
    const server = new RpcServer({
      urls: loadServices().amqpUrls,
      logger: silent,
      workerId: 'always-failing',
      prefetch: 1,
      classifyFailure,
      dispatch: async (request) => {
        if (request.action === 'system.ping') return { json: JSON.stringify({ workerId: 'always-failing', at: new Date().toISOString() }) };
        attempts += 1;
        throw new Error(`boom #${attempts}`);
      },
    });
    server.start();
    await server.waitForConnect();
    try {
      const id = publishRaw(envelope('auth.beginLogin', { email: 'crash@example.ie', client: '127.0.0.1' }), { type: 'auth.beginLogin' });
      const dead = await findDeadLetter(id, 30_000);
      expect(String(dead.properties.headers?.[REASON_HEADER])).toMatch(new RegExp(`failed ${DELIVERY_LIMIT} times, last: boom #${DELIVERY_LIMIT}`));
      expect(attempts).toBe(DELIVERY_LIMIT);
      expect((await client.call('system.ping', {})).workerId).toBe('always-failing');

      // The classic read queue counts no deliveries: a read gets two tries.
      attempts = 0;
      const readId = publishRaw(envelope('auth.beginLogin', { email: 'crash@example.ie', client: '127.0.0.1' }), { type: 'auth.beginLogin' }, READ_QUEUE);
      const deadRead = await findDeadLetter(readId, 30_000);
      expect(String(deadRead.properties.headers?.[REASON_HEADER])).toMatch(/failed 2 times, last: boom #2/);
      expect(attempts).toBe(2);
    } finally {
      await server.stop();
    }
  });
});
