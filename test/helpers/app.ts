import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
// From the sources, not @barback/front-end: the type check of test/ then sees
// the plugins' Fastify declarations, which the front end's unit tests rely on.
import { buildServer } from '../../front-end/src/build.js';
import { loadConfig } from '../../front-end/src/config.js';
import { frontEndEnv } from './services.js';

export interface TestFrontEnd {
  app: FastifyInstance;
  client(): HttpClient;
  close(): Promise<void>;
}

/** A real front end, connected to the real broker; requests go through `inject`, no port needed. */
export async function startFrontEnd(env: Record<string, string> = {}, options: { waitForBroker?: boolean } = {}): Promise<TestFrontEnd> {
  const config = loadConfig({ ...frontEndEnv(), WORKER_PING_INTERVAL_MS: '0', AUTH_RATE_LIMIT_PER_MINUTE: '10000', ...env });
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

  /** The Cookie header this client sends, for a request made outside inject (a streamed response). */
  cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  hasSession(): boolean {
    return this.cookies.has('barback_session');
  }
}
