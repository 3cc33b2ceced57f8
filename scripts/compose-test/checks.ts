/**
 * What `npm run test:compose` checks on the running compose project: the JSON
 * API through the published front end, the RabbitMQ cluster through its
 * management API, and Patroni through patronictl in a database container.
 */
import { run } from './run.js';

/** A browser-like API client: keeps the session cookie and sends the CSRF token register returns. */
export class ApiClient {
  private readonly cookies = new Map<string, string>();
  private csrfToken = '';

  constructor(private readonly base: string) {}

  async post(path: string, body: object, headers: Record<string, string> = {}): Promise<{ status: number; body: { csrfToken?: unknown; id?: unknown } }> {
    const res = await fetch(new URL(path, this.base), {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(this.cookies.size ? { cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ') } : {}),
        ...(this.csrfToken ? { 'x-csrf-token': this.csrfToken } : {}),
        ...headers,
      },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(15_000),
    });
    for (const line of res.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const eq = pair.indexOf('=');
      if (eq > 0) this.cookies.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
    }
    const text = await res.text();
    const parsed = (text ? JSON.parse(text) : {}) as { csrfToken?: unknown; id?: unknown };
    if (typeof parsed.csrfToken === 'string') this.csrfToken = parsed.csrfToken;
    return { status: res.status, body: parsed };
  }
}

export function expectStatus(what: string, got: { status: number; body: unknown }, want: number): void {
  if (got.status !== want) throw new Error(`${what}: HTTP ${got.status} (expected ${want}): ${JSON.stringify(got.body).slice(0, 400)}`);
}

export interface Product {
  id: string;
  servings: { id: string; name: string; priceCents: number }[];
}

/** A draught lager: a pint at €6.00. */
export const LAGER = {
  name: 'Compose Lager',
  category: 'draught',
  abv: 4.3,
  vatClass: 'standard',
  unitMl: 50_000,
  unitCostCents: 12_000,
  parUnits: 2,
  servings: [{ name: 'Pint', ml: 568, priceCents: 600 }],
};

/** One pint of `product`, paid in cash: 201 with the sale. */
export async function ringPint(api: ApiClient, product: Product, idempotencyKey: string) {
  const pint = product.servings.find((s) => s.name === 'Pint');
  if (!pint) throw new Error('the product has no Pint serving');
  return api.post(
    '/api/v1/sales',
    { lines: [{ servingId: pint.id, quantity: 1 }], payments: [{ method: 'cash', amountCents: pint.priceCents }] },
    { 'idempotency-key': idempotencyKey },
  );
}

/** The RabbitMQ management HTTP API of rabbitmq-1, published on 127.0.0.1. */
export class Management {
  private readonly auth: string;

  constructor(
    private readonly base: string,
    user: string,
    password: string,
  ) {
    this.auth = `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
  }

  async get<T>(path: string): Promise<T> {
    const res = await fetch(new URL(path, this.base), { headers: { authorization: this.auth }, signal: AbortSignal.timeout(10_000) });
    if (!res.ok) throw new Error(`GET ${path}: HTTP ${res.status} ${(await res.text()).slice(0, 200)}`);
    return (await res.json()) as T;
  }

  /** Names of the cluster's running nodes. */
  async runningNodes(): Promise<string[]> {
    const nodes = await this.get<{ name: string; running: boolean }[]>('/api/nodes');
    return nodes.filter((n) => n.running).map((n) => n.name);
  }

  async queue(name: string): Promise<{ type: string; members?: string[]; online?: string[]; leader?: string }> {
    return this.get(`/api/queues/%2F/${encodeURIComponent(name)}`);
  }

  /** Peer addresses of the connections consuming from `queue`. */
  async consumerHosts(queue: string): Promise<string[]> {
    const consumers = await this.get<{ queue: { name: string }; channel_details: { peer_host: string } }[]>('/api/consumers/%2F');
    return consumers.filter((c) => c.queue.name === queue).map((c) => c.channel_details.peer_host);
  }
}

export interface PatroniMember {
  Member: string;
  Role: string;
  State: string;
}

/** `patronictl list` as seen from inside a database container (Patroni's own view of the cluster). */
export async function patroniMembers(container: string): Promise<PatroniMember[]> {
  const out = await run('docker', ['exec', container, 'patronictl', '-c', '/etc/patroni/patroni.yml', 'list', '--format', 'json'], { timeoutMs: 20_000 });
  return JSON.parse(out) as PatroniMember[];
}

export const isLeader = (m: PatroniMember) => m.Role === 'Leader' && m.State === 'running';
/** Patroni 3.0.2 says Replica or Sync Standby (synchronous_mode), state running or streaming. */
export const isReplica = (m: PatroniMember) => (m.Role === 'Replica' || m.Role === 'Sync Standby') && (m.State === 'running' || m.State === 'streaming');

/** The leader's view of its standbys: application_name (the member's name), state, sync_state. */
export async function streamingStandbys(leaderContainer: string): Promise<{ name: string; state: string; sync: string }[]> {
  // The container's user is postgres, which the local socket lets in (peer authentication).
  const sql = 'SELECT application_name, state, sync_state FROM pg_stat_replication';
  const out = await run('docker', ['exec', leaderContainer, 'psql', '-d', 'postgres', '-AtF', '|', '-c', sql], { timeoutMs: 20_000 });
  return out
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [name = '', state = '', sync = ''] = line.split('|');
      return { name, state, sync };
    });
}
