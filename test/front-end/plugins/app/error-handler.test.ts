/**
 * Every refusal in the one shape, `{error: {code, message}}` with a BB_ code
 * (front-end/src/plugins/app/error-handler.ts), including those Fastify
 * itself makes before a route runs: 404, 414, 415, a body too large, bad JSON.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Worker } from '@barback/back-end';
import type { LightMyRequestResponse } from 'fastify';
import { startFrontEnd, type TestFrontEnd } from '../../../helpers/app.js';
import { registeredManager } from '../../../helpers/api.js';
import { startWorker } from '../../../helpers/worker.js';

let worker: Worker;
let frontEnd: TestFrontEnd;

beforeAll(async () => {
  worker = await startWorker();
  frontEnd = await startFrontEnd();
});
afterAll(async () => {
  await frontEnd?.close();
  await worker?.stop();
});

function expectOneShape(what: string, res: LightMyRequestResponse, status: number, code: string): void {
  expect({ what, status: res.statusCode, type: res.headers['content-type'] }).toEqual({ what, status, type: expect.stringContaining('application/json') });
  const body = res.json<{ error: Record<string, unknown> }>();
  expect({ what, keys: Object.keys(body) }).toEqual({ what, keys: ['error'] });
  expect({ what, error: body.error }).toEqual({ what, error: { code, message: expect.any(String) } });
  expect({ what, cache: res.headers['cache-control'] }).toEqual({ what, cache: 'no-store' });
  expect(res.body).not.toMatch(/FST_|Fastify|at \//);
}

describe('refusals', () => {
  it('come in the one shape, with our own codes, whoever refuses', async () => {
    const client = await registeredManager(frontEnd, 'error-shapes');
    const longId = 'a'.repeat(300);
    const cases: [string, LightMyRequestResponse, number, string][] = [
      ['unknown API path', await client.get('/api/v1/no-such-thing'), 404, 'BB_NOT_FOUND'],
      ['over-long path id', await client.get(`/api/v1/products/${longId}`), 414, 'BB_URI_TOO_LONG'],
      ['over-long page path id', await client.get(`/catalogue/${longId}`), 414, 'BB_URI_TOO_LONG'],
      [
        'urlencoded write',
        await client.request({ method: 'POST', url: '/api/v1/tabs', payload: 'name=x', headers: { 'content-type': 'application/x-www-form-urlencoded' }, csrf: true }),
        415,
        'BB_UNSUPPORTED_MEDIA_TYPE',
      ],
      [
        'XML body',
        await client.request({ method: 'POST', url: '/api/v1/tabs', payload: '<tab/>', headers: { 'content-type': 'application/xml' }, csrf: true }),
        415,
        'BB_UNSUPPORTED_MEDIA_TYPE',
      ],
      [
        'body over 64 KB',
        await client.request({ method: 'POST', url: '/api/v1/tabs', payload: JSON.stringify({ name: 'x'.repeat(70_000) }), headers: { 'content-type': 'application/json' }, csrf: true }),
        413,
        'BB_BODY_TOO_LARGE',
      ],
      [
        'malformed JSON',
        await client.request({ method: 'POST', url: '/api/v1/tabs', payload: '{"name": ', headers: { 'content-type': 'application/json' }, csrf: true }),
        400,
        'BB_BAD_REQUEST',
      ],
    ];
    for (const [what, res, status, code] of cases) expectOneShape(what, res, status, code);
  });

  it('send Retry-After with a held login', async () => {
    const statuses: number[] = [];
    let last: LightMyRequestResponse | undefined;
    for (let i = 0; i < 4; i += 1) {
      last = await frontEnd.app.inject({ method: 'POST', url: '/api/v1/login', payload: { email: 'nobody-held@example.ie', password: `wrong ${i}` }, remoteAddress: '198.51.100.99' });
      statuses.push(last.statusCode);
    }
    expect(statuses).toEqual([401, 401, 401, 429]);
    expectOneShape('held login', last!, 429, 'BB_LOGIN_THROTTLED');
    expect(last!.headers['retry-after']).toMatch(/^[1-9]\d*$/);
  });
});
