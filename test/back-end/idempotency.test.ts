import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { pino } from 'pino';
import { RpcClient } from '@barback/messaging';
import type { Worker } from '@barback/back-end';
import { newAccount } from '../helpers/venue.js';
import { startWorker } from '../helpers/worker.js';
import { loadServices } from '../helpers/services.js';

let workers: Worker[];
let client: RpcClient;
const hash = '$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA';

beforeAll(async () => {
  workers = [await startWorker(), await startWorker()];
  client = new RpcClient({ urls: loadServices().amqpUrls, logger: pino({ level: 'silent' }), timeoutMs: 10_000, connectionName: 'idempotency test' });
  client.start();
  await client.waitForConnect();
});
afterAll(async () => {
  await client?.close();
  await Promise.all((workers ?? []).map((w) => w.stop()));
});

describe('a write sent more than once', () => {
  it('takes effect once even when the copies race on two workers', async () => {
    const account = newAccount('race');
    const requestId = randomUUID();
    const payload = { venueName: account.venueName, name: account.name, email: account.email, passwordHash: hash };
    const replies = await Promise.all(Array.from({ length: 6 }, () => client.call('auth.register', payload, { requestId })));
    const venueIds = new Set(replies.map((r) => r.venue.id));
    expect(venueIds.size).toBe(1);
    const primary = await workers[0]!.db.primary();
    const { rows } = await primary.query('SELECT count(*)::int AS n FROM venues WHERE name = $1', [account.venueName]);
    expect(rows[0].n).toBe(1);
  });

  it('refuses to reuse a request id for a different action', async () => {
    const requestId = randomUUID();
    const account = newAccount('reuse');
    await client.call('auth.register', { venueName: account.venueName, name: account.name, email: account.email, passwordHash: hash }, { requestId });
    await expect(client.call('auth.finishLogin', { email: account.email, staffId: null, success: false }, { requestId })).rejects.toMatchObject({
      code: 'BB_CONFLICT',
      statusCode: 409,
    });
  });

  it('does the work again when the first attempt was refused, since nothing was recorded', async () => {
    const account = newAccount('retry');
    const taken = newAccount('taken');
    await client.call('auth.register', { venueName: taken.venueName, name: taken.name, email: taken.email, passwordHash: hash });
    const requestId = randomUUID();
    await expect(
      client.call('auth.register', { venueName: account.venueName, name: account.name, email: taken.email, passwordHash: hash }, { requestId }),
    ).rejects.toMatchObject({ code: 'BB_EMAIL_TAKEN' });
    const ok = await client.call('auth.register', { venueName: account.venueName, name: account.name, email: account.email, passwordHash: hash }, { requestId });
    expect(ok.staff.email).toBe(account.email);
  });
});
