import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Socket } from 'node:net';
import type { AmqpConnectionManager } from 'amqp-connection-manager';
import type { ConsumeMessage } from 'amqplib';
import { pino } from 'pino';
import { connectBroker } from '@barback/messaging';
import { loadServices } from '../helpers/services.js';

let manager: AmqpConnectionManager;

beforeAll(async () => {
  manager = connectBroker({ urls: loadServices().amqpUrls, logger: pino({ level: 'silent' }), connectionName: 'broker test' });
  await new Promise<void>((resolve) => (manager.isConnected() ? resolve() : manager.once('connect', () => resolve())));
});
afterAll(async () => {
  await manager?.close();
});

describe('the broker connection', () => {
  it("batches the socket's writes of one event-loop turn", () => {
    const socket = (manager.connection as unknown as { connection: { stream: Socket } }).connection.stream;
    expect(socket.write.name).toBe('batchedWrite');
  });

  it('carries a burst of publishes, each turn sent together, whole and in order', async () => {
    const received: number[] = [];
    const count = 300;
    const done = new Promise<void>((resolve) => {
      const channel = manager.createChannel({
        setup: async (ch: import('amqplib').Channel) => {
          const { queue } = await ch.assertQueue('', { exclusive: true });
          await ch.consume(
            queue,
            (msg: ConsumeMessage | null) => {
              if (!msg) return;
              received.push(Number(msg.content.toString()));
              if (received.length === count) resolve();
            },
            { noAck: true },
          );
          // Thirty turns of ten publishes each, some larger than a socket chunk.
          for (let turn = 0; turn < 30; turn += 1) {
            for (let i = 0; i < 10; i += 1) {
              const n = turn * 10 + i;
              const body = n % 7 === 0 ? `${n}${' '.repeat(70_000)}` : String(n);
              ch.sendToQueue(queue, Buffer.from(body));
            }
            await new Promise((r) => setImmediate(r));
          }
        },
      });
      void channel.waitForConnect();
    });
    await done;
    expect(received).toEqual(Array.from({ length: count }, (_, n) => n));
  });
});
