/**
 * How the RPC server answers a handler that fails, against the real broker:
 * a failure that would recur is dead-lettered on its first delivery, one of
 * the moment is tried again, and a dead letter answers the caller with a
 * reference only, its reason going to the dead-letter queue.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import amqp, { type Channel, type ChannelModel, type GetMessage } from 'amqplib';
import pg from 'pg';
import { pino } from 'pino';
import { classifyFailure } from '@barback/db';
import {
  DEAD_LETTER_QUEUE,
  REASON_HEADER,
  REFERENCE_HEADER,
  RpcClient,
  RpcServer,
  assertTopology,
  type CodedError,
} from '@barback/messaging';
import { loadServices } from '../helpers/services.js';

const silent = pino({ level: 'silent' });
let connection: ChannelModel;
let channel: Channel;
let client: RpcClient;
let server: RpcServer;

/** What the dispatch throws for a tab of this name, and how often it was called for it. */
const failures = new Map<string, () => Error>();
const calls = new Map<string, number>();

/** An error as node-postgres raises it for a statement the server refused. */
function pgError(code: string, message: string): Error {
  const err = new pg.DatabaseError(message, message.length, 'error');
  err.code = code;
  err.severity = 'ERROR';
  return err;
}

const socketError = (code: string) => Object.assign(new Error(`read ${code}`), { code, errno: -104, syscall: 'read' });

beforeAll(async () => {
  connection = await amqp.connect(loadServices().amqpUrls[0]!);
  channel = await connection.createChannel();
  await assertTopology(channel);
  server = new RpcServer({
    urls: loadServices().amqpUrls,
    logger: silent,
    workerId: 'rpc-server-test',
    prefetch: 4,
    classifyFailure,
    dispatch: async (request) => {
      const name = (request.payload as { name: string }).name;
      const n = (calls.get(name) ?? 0) + 1;
      calls.set(name, n);
      const failure = failures.get(name);
      // Fails on the first call only: a retry, if there is one, succeeds.
      if (failure && n === 1) throw failure();
      return { json: JSON.stringify({ ok: name }) };
    },
  });
  server.start();
  await server.waitForConnect();
  client = new RpcClient({ urls: loadServices().amqpUrls, logger: silent, timeoutMs: 10_000, connectionName: 'rpc server test' });
  client.start();
  await client.waitForConnect();
});

afterAll(async () => {
  await client?.close();
  await server?.stop();
  await connection?.close();
});

/** A till.openTab call whose dispatch first throws `failure`; resolves with the error, or null when it succeeded. */
async function callFailing(failure: () => Error, requestId = randomUUID()): Promise<{ name: string; error: CodedError | null }> {
  const name = `tab ${randomUUID()}`;
  failures.set(name, failure);
  // The dispatch answers JSON that is not a Tab: callJson passes it on unchecked.
  const error = await client.callJson('till.openTab', { name }, { requestId }).then(
    () => null,
    (err: unknown) => err as CodedError,
  );
  return { name, error };
}

/** Reads the dead-letter queue until the message with this id shows up. */
async function findDeadLetter(messageId: string, timeoutMs = 10_000): Promise<GetMessage> {
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

describe('a dead letter', () => {
  it('tells the caller a reference, not the error, and keeps the reason with the message', async () => {
    const requestId = randomUUID();
    const { error } = await callFailing(() => pgError('42P01', 'relation "secret_table" does not exist'), requestId);
    expect(error).toMatchObject({ code: 'BB_MESSAGE_REJECTED', statusCode: 400 });
    const reference = /Reference: ([0-9a-f]+)\.$/.exec(error!.message)?.[1];
    expect(reference).toBeDefined();
    expect(error!.message).not.toMatch(/secret_table|relation|42P01|does not exist/);
    expect(error!.message).toBe(`The request could not be processed. Reference: ${reference}.`);

    const dead = await findDeadLetter(requestId);
    expect(dead.properties.headers?.[REFERENCE_HEADER]).toBe(reference);
    expect(String(dead.properties.headers?.[REASON_HEADER])).toMatch(/42P01: relation "secret_table" does not exist/);
  });

  it('gets a reference of its own each time', async () => {
    const fail = () => pgError('23505', 'duplicate key value violates unique constraint "staff_email_key"');
    const [a, b] = await Promise.all([callFailing(fail), callFailing(fail)]);
    expect(a.error?.code).toBe('BB_MESSAGE_REJECTED');
    expect(b.error?.code).toBe('BB_MESSAGE_REJECTED');
    expect(a.error!.message).not.toBe(b.error!.message);
    expect(a.error!.message).not.toContain('staff_email_key');
  });
});

describe('a handler failure', () => {
  it.each([
    ['23514 check_violation', () => pgError('23514', 'new row for relation "products" violates check constraint "products_abv_check"')],
    ['22P02 invalid_text_representation', () => pgError('22P02', 'invalid input syntax for type uuid: "x"')],
    ['22021 character_not_in_repertoire', () => pgError('22021', 'invalid byte sequence for encoding "UTF8": 0x00')],
    ['P0001 raise_exception', () => pgError('P0001', 'stock would go below zero')],
    ['a TypeError (a bug)', () => new TypeError("Cannot read properties of undefined (reading 'id')")],
  ])('that would recur (%s) is dead-lettered on its first delivery', async (_what, failure) => {
    const { name, error } = await callFailing(failure);
    expect(error?.code).toBe('BB_MESSAGE_REJECTED');
    // A requeue would have called it again within 100 ms.
    await new Promise((r) => setTimeout(r, 300));
    expect(calls.get(name)).toBe(1);
  });

  it.each([
    ['40001 serialization_failure', () => pgError('40001', 'could not serialize access due to concurrent update')],
    ['40P01 deadlock_detected', () => pgError('40P01', 'deadlock detected')],
    ['57P01 admin_shutdown', () => pgError('57P01', 'terminating connection due to administrator command')],
    ['ECONNRESET', () => socketError('ECONNRESET')],
    ['a connection lost without a code', () => new Error('Connection terminated unexpectedly')],
  ])('of the moment (%s) is tried again, and the retry answers', async (_what, failure) => {
    const { name, error } = await callFailing(failure);
    expect(error).toBeNull();
    expect(calls.get(name)).toBe(2);
  });
});
