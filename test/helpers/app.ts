import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { pino } from 'pino';
import { buildServer } from '../../front-end/src/build.js';
import { loadConfig as loadFrontEndConfig } from '../../front-end/src/config.js';
import { loadConfig as loadWorkerConfig } from '../../back-end/src/config.js';
import { createWorker, type Worker } from '../../back-end/src/worker.js';
import { frontEndEnv, loadServices, workerEnv } from './services.js';

/** In-process apps log to a file beside the services' logs, so test output stays readable. */
function testLogger(name: string) {
  const services = loadServices();
  return pino({ level: 'info', base: { service: name } }, createWriteStream(join(services.logDir, `${name}.log`), { flags: 'a' }));
}

let workerCount = 0;

/** A real worker (broker + database) running inside the test process. */
export async function startWorker(env: Record<string, string> = {}): Promise<Worker> {
  workerCount += 1;
  const config = loadWorkerConfig({ ...workerEnv(), WORKER_ID: `test-worker-${workerCount}`, ...env });
  const worker = createWorker(config, testLogger('jest-worker'));
  await worker.start();
  return worker;
}

export interface TestFrontEnd {
  app: FastifyInstance;
  client(): HttpClient;
  close(): Promise<void>;
}

/** A real front end, connected to the real broker; requests go through `inject`, no port needed. */
export async function startFrontEnd(env: Record<string, string> = {}, options: { waitForBroker?: boolean } = {}): Promise<TestFrontEnd> {
  const config = loadFrontEndConfig({ ...frontEndEnv(), WORKER_PING_INTERVAL_MS: '0', AUTH_RATE_LIMIT_PER_MINUTE: '10000', ...env });
  const app = await buildServer(config, false);
  await app.ready();
  if (options.waitForBroker !== false) await app.rpc.waitForConnect();
  return { app, client: () => new HttpClient(app), close: () => app.close() };
}

/** Keeps cookies between calls, like a browser tab would. */
export class HttpClient {
  private cookies = new Map<string, string>();
  csrfToken: string | null = null;

  constructor(private readonly app: FastifyInstance) {}

  async request(options: InjectOptions & { csrf?: boolean }): Promise<LightMyRequestResponse> {
    const headers: Record<string, string> = { ...(options.headers as Record<string, string>) };
    if (this.cookies.size) headers.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    if (options.csrf && this.csrfToken) headers['x-csrf-token'] = this.csrfToken;
    const res = await this.app.inject({ ...options, headers });
    // Keep the raw (still URL-encoded) value: it is sent back exactly as received.
    const setCookie = res.headers['set-cookie'];
    for (const line of Array.isArray(setCookie) ? setCookie : setCookie ? [setCookie] : []) {
      const [pair = '', ...attributes] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const expired = attributes.some((a) => /^\s*max-age=0\s*$/i.test(a) || /^\s*expires=thu, 01 jan 1970/i.test(a));
      if (value === '' || expired) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    const body = res.headers['content-type']?.toString().includes('json') && res.body ? res.json() : null;
    if (body && typeof body.csrfToken === 'string') this.csrfToken = body.csrfToken;
    return res;
  }

  post(url: string, payload?: object, extra: { headers?: Record<string, string>; csrf?: boolean } = {}) {
    return this.request({ method: 'POST', url, ...(payload ? { payload } : {}), headers: extra.headers ?? {}, csrf: extra.csrf ?? true });
  }

  get(url: string) {
    return this.request({ method: 'GET', url });
  }

  hasSession(): boolean {
    return this.cookies.has('barback_session');
  }
}

let unique = 0;
/** Distinct, readable test data per call. */
export function newAccount(label = 'bar') {
  unique += 1;
  const tag = `${label}-${Date.now().toString(36)}-${unique}`;
  return { venueName: `The ${tag}`, name: `Owner ${unique}`, email: `${tag}@example.ie`, password: `correct horse ${tag}` };
}
