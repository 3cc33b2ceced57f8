/** The security headers (front-end/src/plugins/external/helmet.ts) on every kind of answer. */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Worker } from '@barback/back-end';
import type { LightMyRequestResponse } from 'fastify';
import { startFrontEnd, type TestFrontEnd } from '../../../helpers/app.js';
import { registeredManager } from '../../../helpers/api.js';
import { startWorker } from '../../../helpers/worker.js';
import { VIEWS_DIR } from '../../../../front-end/src/plugins/external/view.js';

let worker: Worker;
let frontEnd: TestFrontEnd;
let behindProxy: TestFrontEnd;

beforeAll(async () => {
  worker = await startWorker();
  frontEnd = await startFrontEnd();
  behindProxy = await startFrontEnd({ TRUST_PROXY: 'true' });
});
afterAll(async () => {
  await frontEnd?.close();
  await behindProxy?.close();
  await worker?.stop();
});

function expectSecurityHeaders(what: string, res: LightMyRequestResponse): void {
  const csp = String(res.headers['content-security-policy']);
  expect({ what, csp }).toEqual({ what, csp: expect.stringContaining("default-src 'self'") });
  expect(csp).toContain("frame-ancestors 'none'");
  // Our stylesheet only: no inline styles, nothing from another origin.
  expect(csp).toMatch(/(^|;)style-src 'self'(;|$)/);
  expect(csp).not.toContain('unsafe-inline');
  expect(csp).not.toMatch(/style-src[^;]*https:/);
  expect(res.headers['x-content-type-options']).toBe('nosniff');
  // One framing policy: DENY agrees with frame-ancestors 'none'.
  expect({ what, xfo: res.headers['x-frame-options'] }).toEqual({ what, xfo: 'DENY' });
  // Not over plain http.
  expect({ what, hsts: res.headers['strict-transport-security'] }).toEqual({ what, hsts: undefined });
  // Nothing signed in, or carrying a CSRF token, may be kept by a shared browser's cache.
  expect({ what, cache: res.headers['cache-control'] }).toEqual({ what, cache: 'no-store' });
}

describe('security headers', () => {
  it('go on a page, an API reply passed through from a worker, and an error, signed in or not', async () => {
    const client = await registeredManager(frontEnd, 'headers');
    const answers: [string, LightMyRequestResponse][] = [
      ['signed-in page', await client.get('/till')],
      ['login page', await frontEnd.client().get('/login')],
      ['API reply', await client.get('/api/v1/products')],
      ['API me', await client.get('/api/v1/me')],
      ['API refusal', await frontEnd.client().get('/api/v1/products')],
      ['API 404', await client.get('/api/v1/nothing-here')],
      ['page 404', await client.get('/nothing-here')],
    ];
    expect(answers.map(([what, res]) => [what, res.statusCode])).toEqual([
      ['signed-in page', 200],
      ['login page', 200],
      ['API reply', 200],
      ['API me', 200],
      ['API refusal', 401],
      ['API 404', 404],
      ['page 404', 404],
    ]);
    for (const [what, res] of answers) expectSecurityHeaders(what, res);
  });

  it('let static files be cached: they set their own Cache-Control', async () => {
    const css = await frontEnd.client().get('/static/app.css');
    expect(css.headers['cache-control']).toBe('public, max-age=3600');
  });

  it('send HSTS only over HTTPS: as a trusted proxy says, never as any client says', async () => {
    const viaProxy = await behindProxy.app.inject({ method: 'GET', url: '/login', headers: { 'x-forwarded-proto': 'https' }, remoteAddress: '10.0.0.5' });
    expect(viaProxy.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
    const forged = await behindProxy.app.inject({ method: 'GET', url: '/login', headers: { 'x-forwarded-proto': 'https' }, remoteAddress: '203.0.113.9' });
    expect(forged.headers['strict-transport-security']).toBeUndefined();
    const plain = await behindProxy.app.inject({ method: 'GET', url: '/login', remoteAddress: '10.0.0.5' });
    expect(plain.headers['strict-transport-security']).toBeUndefined();
  });
});

describe('the views', () => {
  it("carry no inline style (a <style> element or a style attribute), which style-src 'self' would block", () => {
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) walk(path);
        else if (name.endsWith('.eta')) files.push(path);
      }
    };
    walk(VIEWS_DIR);
    expect(files.length).toBeGreaterThan(10);
    const inline = files.filter((f) => /<style\b|\sstyle\s*=/i.test(readFileSync(f, 'utf8')));
    expect(inline).toEqual([]);
  });
});
