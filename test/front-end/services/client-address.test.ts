/**
 * Which address a failed login counts against with TRUST_PROXY on
 * (front-end/src/services/client-address.ts): the one the nearest trusted
 * proxy saw, never an X-Forwarded-For a client wrote itself.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Worker } from '@barback/back-end';
import { startFrontEnd, type TestFrontEnd } from '../../helpers/app.js';
import { newAccount } from '../../helpers/venue.js';
import { startWorker } from '../../helpers/worker.js';

let worker: Worker;
let frontEnd: TestFrontEnd;

beforeAll(async () => {
  worker = await startWorker();
  frontEnd = await startFrontEnd({ TRUST_PROXY: 'true' });
});
afterAll(async () => {
  await frontEnd?.close();
  await worker?.stop();
});

async function registered(label: string) {
  const account = newAccount(label);
  expect((await frontEnd.client().post('/api/v1/register', account, { csrf: false })).statusCode).toBe(201);
  return account;
}

function login(email: string, password: string, remoteAddress: string, forwardedFor?: string) {
  return frontEnd.app.inject({
    method: 'POST',
    url: '/api/v1/login',
    payload: { email, password },
    remoteAddress,
    headers: forwardedFor ? { 'x-forwarded-for': forwardedFor } : {},
  });
}

describe('with TRUST_PROXY on', () => {
  it('counts a client that is no proxy by its own address, whatever X-Forwarded-For it forges', async () => {
    const account = await registered('forger');
    const attacker = '203.0.113.50';
    // A new forged address every time: had it chosen the key, no pair would ever be held.
    const statuses = [];
    for (let i = 0; i < 5; i += 1) statuses.push((await login(account.email, `wrong ${i}`, attacker, `192.0.2.${i + 1}`)).statusCode);
    expect(statuses).toEqual([401, 401, 401, 429, 429]);
    // The addresses it named are not held: nobody there failed.
    expect((await login(account.email, account.password, '10.0.0.9', '192.0.2.1')).statusCode).toBe(200);
  });

  it("counts a request through a trusted proxy by the address that proxy saw, not the entries the client put before it", async () => {
    const account = await registered('proxied');
    // The proxy (10.0.0.5, private) appends the address it saw; the client wrote the left-hand entries.
    const statuses = [];
    for (let i = 0; i < 5; i += 1) statuses.push((await login(account.email, `wrong ${i}`, '10.0.0.5', `192.0.2.${i + 50}, 198.51.100.60`)).statusCode);
    expect(statuses).toEqual([401, 401, 401, 429, 429]);
    // Another client behind the same proxy is its own key.
    expect((await login(account.email, account.password, '10.0.0.5', '198.51.100.61')).statusCode).toBe(200);
    // And the guesser stays held through any other proxy of ours.
    expect((await login(account.email, account.password, '10.0.0.6', '198.51.100.60')).statusCode).toBe(429);
  });
});
