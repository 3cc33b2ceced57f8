/**
 * Test data for the benchmark, none of it on the measured path: venues and
 * their managers through the API (so passwords are hashed exactly as the front
 * end hashes them), products through the broker (RpcClient, as the API would),
 * and 100,000 historic sales straight into the primary with SQL.
 */
import { RpcClient, type Actor } from '@barback/messaging';
import { DbCluster, parseHosts } from '@barback/db';
import { pino } from 'pino';
import type { InfraInfo } from '../../scripts/stack/infra.js';
import { sleep } from '../../scripts/stack/system.js';
import type { ProductSeed } from './catalogue.js';
import type { SaleServing } from './load-spec.js';

export interface Session {
  cookie: string;
  csrfToken: string;
  staffId: string;
  venueId: string;
}

export interface Account extends Session {
  email: string;
  password: string;
}

/** name=value pairs of the Set-Cookie headers, ready for a Cookie header. */
export function cookieHeader(res: Response): string {
  return res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0] ?? '')
    .filter((c) => c.includes('=') && !c.endsWith('='))
    .join('; ');
}

async function postJson(url: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(30_000),
  });
}

/** What register and login answer (the parts a session needs). */
interface SessionBody {
  csrfToken: string;
  staff: { id: string };
  venue: { id: string };
}

function sessionOf(res: Response, body: SessionBody): Session {
  return { cookie: cookieHeader(res), csrfToken: body.csrfToken, staffId: body.staff.id, venueId: body.venue.id };
}

export async function registerVenue(frontEndUrl: string, venueName: string, email: string, password: string): Promise<Account> {
  const res = await postJson(`${frontEndUrl}/api/v1/register`, { venueName, name: `${venueName} manager`, email, password });
  const text = await res.text();
  if (res.status !== 201) throw new Error(`register ${email}: HTTP ${res.status} ${text.slice(0, 300)}`);
  return { ...sessionOf(res, JSON.parse(text) as SessionBody), email, password };
}

export async function login(frontEndUrl: string, email: string, password: string): Promise<Session> {
  const res = await postJson(`${frontEndUrl}/api/v1/login`, { email, password });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`login ${email}: HTTP ${res.status} ${text.slice(0, 300)}`);
  return sessionOf(res, JSON.parse(text) as SessionBody);
}

/** Status of one request (for checking a route before loading it). */
export async function probe(url: string, init: RequestInit): Promise<{ status: number; body: string }> {
  const res = await fetch(url, { ...init, signal: AbortSignal.timeout(15_000) });
  return { status: res.status, body: await res.text() };
}

const quietLogger = () => pino({ level: 'warn', base: { service: 'bench-seed' } });

export function rpcClient(info: InfraInfo): RpcClient {
  const rpc = new RpcClient({ urls: info.amqpUrls, logger: quietLogger(), timeoutMs: 30_000, connectionName: 'bench seeding' });
  rpc.start();
  return rpc;
}

/**
 * Creates the products through the broker, `concurrency` at a time; returns
 * every serving with its price (what a sale can ring up).
 */
export async function seedCatalogue(rpc: RpcClient, actor: Actor, products: ProductSeed[], concurrency = 8): Promise<SaleServing[]> {
  const servings: SaleServing[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let p = products[next++]; p !== undefined; p = products[next++]) {
      const created = await rpc.call('catalogue.createProduct', p, { actor });
      for (const s of created.servings) servings.push({ id: s.id, priceCents: s.priceCents });
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return servings;
}

export function dbCluster(info: InfraInfo): DbCluster {
  return new DbCluster({
    hosts: parseHosts(info.dbEnv.DB_HOSTS),
    database: info.dbEnv.DB_NAME,
    user: info.dbEnv.DB_USER,
    password: info.dbEnv.DB_PASSWORD,
    poolSize: 2,
    logger: quietLogger(),
  });
}

export async function countSales(db: DbCluster, venueId?: string): Promise<number> {
  const pool = await db.primary();
  const { rows } = venueId
    ? await pool.query<{ n: string }>(`SELECT count(*) AS n FROM tabs WHERE status = 'closed' AND venue_id = $1`, [venueId])
    : await pool.query<{ n: string }>(`SELECT count(*) AS n FROM tabs WHERE status = 'closed'`);
  return Number(rows[0]?.n ?? 0);
}

/**
 * `count` closed quick sales of 3 lines each over the last 90 days, with their
 * card payments and the processed-request rows the API would have left, in
 * statements of `chunk` sales. Test data only: generate_series into the tables
 * of db/migrations/0002_till.sql. Rows get the time-ordered ids of their own
 * moment (uuid_v7, migration 0007), as the workers would have given them, so
 * the indexes look like those of a bar with that history.
 */
export async function seedSales(
  db: DbCluster,
  actor: Actor,
  count: number,
  log: (line: string) => void,
  chunk = 20_000,
): Promise<void> {
  const pool = await db.primary();
  const { rows: servings } = await pool.query<{
    id: string;
    product_id: string;
    description: string;
    price_cents: number;
    vat_class: string;
  }>(
    `SELECT s.id, s.product_id, p.name || ' (' || s.name || ')' AS description, s.price_cents, p.vat_class
       FROM servings s JOIN products p ON p.id = s.product_id WHERE s.venue_id = $1 AND s.active`,
    [actor.venueId],
  );
  if (!servings.length) throw new Error('the venue has no servings to sell');
  const params = [
    servings.map((s) => s.id),
    servings.map((s) => s.product_id),
    servings.map((s) => s.description),
    servings.map((s) => s.price_cents),
    servings.map((s) => s.vat_class),
    servings.map((s) => (s.vat_class === 'reduced' ? 1350 : 2300)),
  ];
  for (let done = 0; done < count; ) {
    const n = Math.min(chunk, count - done);
    const started = Date.now();
    await pool.query(
      `WITH g AS MATERIALIZED (
         SELECT uuid_v7(h.at) AS id, h.at FROM (SELECT now() - random() * interval '90 days' AS at FROM generate_series(1, $3::int)) h
       ), lv AS MATERIALIZED (
         SELECT x.tab_id, x.at, x.q, ($4::uuid[])[x.k] AS serving_id, ($5::uuid[])[x.k] AS product_id,
                ($6::text[])[x.k] AS description, ($7::int[])[x.k] AS price, ($8::text[])[x.k] AS vat_class,
                ($9::int[])[x.k] AS rate_bp
           FROM (SELECT g.id AS tab_id, g.at, 1 + floor(random() * cardinality($4::uuid[]))::int AS k,
                        1 + floor(random() * 2)::int AS q
                   FROM g CROSS JOIN generate_series(1, 3)) x
       ), lines AS MATERIALIZED (
         SELECT lv.*, price * q AS gross, round(price * q * rate_bp / (10000.0 + rate_bp))::int AS vat FROM lv
       ), tot AS MATERIALIZED (
         SELECT tab_id, min(at) AS at, sum(gross)::int AS gross, sum(vat)::int AS vat FROM lines GROUP BY tab_id
       ), t AS (
         INSERT INTO tabs (id, venue_id, name, status, opened_by, opened_at, closed_by, closed_at, gross_cents, vat_cents, net_cents)
         SELECT tab_id, $1, 'Quick sale', 'closed', $2, at - interval '1 minute', $2, at, gross, vat, gross - vat FROM tot
       ), l AS (
         INSERT INTO tab_lines (id, tab_id, venue_id, serving_id, product_id, description, quantity, unit_price_cents, gross_cents,
                                vat_class, vat_rate_bp, vat_cents, net_cents, stock_draw_units, added_by, added_at)
         SELECT uuid_v7(at), tab_id, $1, serving_id, product_id, description, q, price, gross, vat_class, rate_bp, vat, gross - vat, 0.02 * q, $2, at
           FROM lines
       ), r AS (
         INSERT INTO processed_requests (scope, request_id, action, reply, created_at)
         SELECT $2::text, 'seed-' || tab_id::text, 'sales.recordSale', '{}'::jsonb, at FROM tot
       )
       INSERT INTO payments (id, tab_id, venue_id, method, amount_cents, created_at)
       SELECT uuid_v7(at), tab_id, $1, 'card', gross, at FROM tot`,
      [actor.venueId, actor.staffId, n, ...params],
    );
    done += n;
    log(`  ${done.toLocaleString('en')} / ${count.toLocaleString('en')} sales inserted (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  }
  await pool.query('ANALYZE tabs, tab_lines, payments, processed_requests');
}

/** Waits until the standby has replayed everything the primary has written so far. */
export async function waitStandbyCaughtUp(db: DbCluster, timeoutMs = 120_000): Promise<void> {
  const primary = await db.primary();
  const standby = await db.standby();
  if (standby === primary) return;
  const { rows } = await primary.query<{ lsn: string }>('SELECT pg_current_wal_lsn()::text AS lsn');
  const lsn = rows[0]?.lsn;
  if (lsn === undefined) throw new Error('pg_current_wal_lsn() answered no row');
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    const r = await standby.query<{ ok: boolean }>('SELECT pg_last_wal_replay_lsn() >= $1::pg_lsn AS ok', [lsn]);
    if (r.rows[0]?.ok) return;
    await sleep(250);
  }
  throw new Error(`the standby did not replay up to ${lsn} within ${timeoutMs / 1000} s`);
}
