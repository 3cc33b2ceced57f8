import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { createServer, connect, type AddressInfo, type Server, type Socket } from 'node:net';
import { batchSocketWrites } from '../../messaging/src/write-batching.js';

/** A loopback TCP pair: real sockets, no broker. */
async function socketPair(): Promise<{ client: Socket; server: Socket; listener: Server }> {
  const listener = createServer();
  await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
  const accepted = new Promise<Socket>((resolve) => listener.once('connection', resolve));
  const client = connect((listener.address() as AddressInfo).port, '127.0.0.1');
  await new Promise<void>((resolve) => client.once('connect', resolve));
  return { client, server: await accepted, listener };
}

describe('batchSocketWrites', () => {
  let pair: Awaited<ReturnType<typeof socketPair>>;
  beforeEach(async () => {
    pair = await socketPair();
  });
  afterEach(async () => {
    pair.client.destroy();
    pair.server.destroy();
    await new Promise((resolve) => pair.listener.close(resolve));
  });

  it('holds the writes of one turn and hands them to the kernel together when the turn ends', async () => {
    const { client } = pair;
    batchSocketWrites(client);
    const writev = jest.spyOn(client as unknown as { _writev: (...args: unknown[]) => void }, '_writev');
    client.write('a');
    client.write('b');
    client.write('c');
    expect(client.writableCorked).toBe(1);
    expect(client.writableLength).toBe(3);
    await new Promise((resolve) => process.nextTick(resolve));
    expect(client.writableCorked).toBe(0);
    expect(writev).toHaveBeenCalledTimes(1);
    expect((writev.mock.calls[0]![0] as unknown[]).length).toBe(3);
  });

  it('delivers every byte in order across turns', async () => {
    const { client, server } = pair;
    batchSocketWrites(client);
    const received: Buffer[] = [];
    server.on('data', (chunk: Buffer) => received.push(chunk));
    const sent: string[] = [];
    for (let turn = 0; turn < 50; turn += 1) {
      for (let frame = 0; frame < 20; frame += 1) {
        const text = `${turn}.${frame};`;
        sent.push(text);
        client.write(text);
      }
      await new Promise((resolve) => setImmediate(resolve));
    }
    const expected = sent.join('');
    await new Promise<void>((resolve) => {
      const check = () => (Buffer.concat(received).length >= expected.length ? resolve() : setTimeout(check, 5));
      check();
    });
    expect(Buffer.concat(received).toString()).toBe(expected);
  });

  it('keeps the write callback and the backpressure signal', async () => {
    const { client } = pair;
    batchSocketWrites(client);
    const written = new Promise<void>((resolve, reject) => client.write('x', (err) => (err ? reject(err) : resolve())));
    const accepting = client.write(Buffer.alloc(client.writableHighWaterMark * 2));
    const drained = new Promise((resolve) => client.once('drain', resolve));
    expect(accepting).toBe(false);
    await expect(written).resolves.toBeUndefined();
    await drained;
    expect(client.writableLength).toBe(0);
  });
});
