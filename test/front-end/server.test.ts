/**
 * The front end as a process (front-end/src/server.ts): its log is written in
 * batches, so these check that a request's line still reaches the file while
 * the process runs, and that what is buffered is not lost on a clean stop.
 */
import { describe, expect, it } from '@jest/globals';
import { startFrontEndProcess } from '../helpers/services.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('the front-end process log', () => {
  it('writes a quiet request’s line within seconds, and flushes what is left when it stops', async () => {
    const frontEnd = await startFrontEndProcess();
    const reqId = `log-check-${Date.now().toString(36)}`;
    try {
      const res = await fetch(`${frontEnd.url}/api/v1/products`, { headers: { 'x-request-id': reqId } });
      expect(res.status).toBe(401);
      let line: string | undefined;
      for (let i = 0; i < 50 && !line; i += 1) {
        line = frontEnd.logs().split('\n').find((l) => l.includes(reqId) && l.includes('"msg":"request"'));
        if (!line) await sleep(100);
      }
      expect(JSON.parse(line ?? '{}')).toMatchObject({ reqId, method: 'GET', url: '/api/v1/products', statusCode: 401 });
    } finally {
      await frontEnd.stop();
    }
    // Logged just before the process exits, too late for the periodic flush.
    expect(frontEnd.logs()).toMatch(/"signal":"SIGTERM","msg":"closing"/);
  });
});
