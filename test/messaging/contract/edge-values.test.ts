/**
 * A value the contract refuses never reaches the broker: RpcClient.call
 * refuses every edge value of every request field (request-fields.ts) with
 * the field named before publishing. The request queues are consumed here by a
 * counter that answers every message this client sends, so a publish shows
 * (the control calls prove it would), and the refused calls must add none.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import amqp, { type Channel, type ChannelModel, type ConsumeMessage } from 'amqplib';
import { pino } from 'pino';
import { READ_QUEUE, REPLY_ERROR, REQUEST_QUEUE, RpcClient, actions, assertTopology, type ActionName } from '@barback/messaging';
import { loadServices } from '../../helpers/services.js';
import { badCases, validRequest, withValue } from './request-fields.js';

const silent = pino({ level: 'silent' });
let connection: ChannelModel;
let channel: Channel;
let client: RpcClient;
/** The actions of the messages this test's client published. */
const published: string[] = [];

const cases = badCases();

function count(msg: ConsumeMessage | null): void {
  if (!msg) return;
  channel.ack(msg);
  const { replyTo, correlationId, type } = msg.properties;
  // Only this client's messages: the queues may hold others' expired ones.
  if (!client || replyTo !== client.replyQueueName) return;
  published.push(String(type));
  channel.sendToQueue(replyTo, Buffer.from(JSON.stringify({ code: 'BB_CONFLICT', message: 'counted', statusCode: 409 })), {
    correlationId,
    type: REPLY_ERROR,
  });
}

beforeAll(async () => {
  connection = await amqp.connect(loadServices().amqpUrls[0]!);
  channel = await connection.createChannel();
  await assertTopology(channel);
  for (const queue of [REQUEST_QUEUE, READ_QUEUE]) {
    // The counter must be the only consumer, or a publish could go elsewhere unseen.
    expect((await channel.checkQueue(queue)).consumerCount).toBe(0);
    await channel.consume(queue, count, { noAck: false });
  }
  client = new RpcClient({ urls: loadServices().amqpUrls, logger: silent, timeoutMs: 5000, connectionName: 'free-text test' });
  client.start();
  await client.waitForConnect();
});

afterAll(async () => {
  await client?.close();
  await connection?.close();
});

describe('RpcClient.call with a value outside what a field takes', () => {
  it.each(['till.openTab', 'audit.listAuditEntries'] as ActionName[])('publishes a good %s, which the counter sees (the control)', async (action) => {
    const before = published.length;
    await expect(client.call(action, validRequest(action) as never)).rejects.toMatchObject({ code: 'BB_CONFLICT', message: 'counted' });
    expect(published.slice(before)).toEqual([action]);
    expect(actions[action].kind).toBe(action === 'till.openTab' ? 'write' : 'read');
  });

  describe('refuses before publishing', () => {
    let before = 0;
    beforeAll(() => {
      before = published.length;
    });

    it.each(cases.map((c) => [c.action, c.field || '(request)', c.what, c] as const))('%s %s with %s', async (_action, _field, _what, c) => {
      const payload = withValue(validRequest(c.action), c.path, c.value);
      await expect(client.call(c.action, payload as never)).rejects.toMatchObject({
        code: 'BB_VALIDATION',
        statusCode: 400,
        field: c.expected,
        ...(c.words === undefined ? {} : { message: `${c.expected} ${c.words}` }),
      });
    });

    it(`and none of the ${cases.length} refused calls reached a queue`, async () => {
      expect(cases.length).toBeGreaterThan(0);
      // Time for a stray publish to be delivered to the counter.
      await new Promise((r) => setTimeout(r, 300));
      expect(published.slice(before)).toEqual([]);
    });
  });
});
