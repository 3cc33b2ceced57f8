/** The security headers (front-end/src/plugins/external/helmet.ts) on every kind of answer. */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Worker } from '@barback/back-end';
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

describe('security headers', () => {
  it('go on pages, API answers passed through from a worker, and refusals alike', async () => {
    const client = await registeredManager(frontEnd, 'headers');
    for (const res of [await client.get('/login'), await client.get('/api/v1/products'), await frontEnd.client().get('/api/v1/products')]) {
      expect(res.headers['content-security-policy']).toContain("default-src 'self'");
      expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
      expect(res.headers['strict-transport-security']).toContain('max-age=');
    }
  });
});
