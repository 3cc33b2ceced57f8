/**
 * Test data for the benchmark, none of it on the measured path: venues and
 * their managers through the API (so passwords are hashed exactly as the front
 * end hashes them), products through the broker (RpcClient, as the API would),
 * and 100,000 historic sales straight into the primary with SQL.
 */
import { RpcClient, type Actor } from '@barback/messaging';
import { DbCluster, parseHosts } from '@barback/db';
import type pg from 'pg';
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

/**
 * A cluster whose primary pool holds `poolSize` connections: seeding from
 * several at once spreads the shift and VAT day totals over their slots
 * (backend pid modulo 8) as a busy night's tills do.
 */
export function dbClusterOf(info: InfraInfo, poolSize: number): DbCluster {
  return new DbCluster({
    hosts: parseHosts(info.dbEnv.DB_HOSTS),
    database: info.dbEnv.DB_NAME,
    user: info.dbEnv.DB_USER,
    password: info.dbEnv.DB_PASSWORD,
    poolSize,
    logger: quietLogger(),
  });
}

/** What a query needs: a pool or one of its clients (one connection, one slot). */
type Querier = pg.Pool | pg.PoolClient;

/** A day's trading: its shift, and the hours its sales were rung in. */
export interface TradingDay {
  shiftId: string;
  from: Date;
  to: Date;
}

/**
 * A closed shift for every calendar day of `year` in the venue's time zone
 * (10:30 to 00:30 the next morning, a float of €200), as if each night had
 * been cashed up; returns each with the hours its sales ring in (11:00 to
 * midnight). Inserted closed: a closed shift refuses any UPDATE (0019).
 */
export async function insertYearOfShifts(db: Querier, actor: Actor, year: number): Promise<TradingDay[]> {
  const { rows } = await db.query<{ id: string; opened_at: Date; closed_at: Date }>(
    `INSERT INTO shifts (id, venue_id, opened_by, opened_at, float_cents, closed_by, closed_at)
     SELECT uuid_v7(o.at), $1, $2, o.at, 20000, $2, o.at + interval '14 hours'
       FROM venues v, generate_series(make_date($3, 1, 1), make_date($3, 12, 31), interval '1 day') d,
            LATERAL (SELECT (d::date + time '10:30') AT TIME ZONE v.time_zone AS at) o
      WHERE v.id = $1
     RETURNING id, opened_at, closed_at`,
    [actor.venueId, actor.staffId, year],
  );
  return rows
    .map((r) => ({ shiftId: r.id, from: new Date(r.opened_at.getTime() + 1_800_000), to: new Date(r.closed_at.getTime() - 1_800_000) }))
    .sort((a, b) => a.from.getTime() - b.from.getTime());
}

/**
 * `count` closed quick sales of 3 lines each, each in a random one of `days`
 * at a random moment of its hours and in its shift (tabs.shift_id given, so
 * the triggers of 0019 and 0020 add it to that shift's and that day's
 * totals), at the VAT rate of its day. Paid 45% cash, 50% card, 5% split
 * half card, half cash. One statement (the triggers are per statement).
 */
export async function insertShiftSales(db: Querier, actor: Actor, days: TradingDay[], count: number): Promise<void> {
  if (count < 1 || !days.length) return;
  const { rows: servings } = await db.query<{ id: string; product_id: string; description: string; price_cents: number; vat_class: string }>(
    `SELECT s.id, s.product_id, p.name || ' (' || s.name || ')' AS description, s.price_cents, p.vat_class
       FROM servings s JOIN products p ON p.id = s.product_id WHERE s.venue_id = $1 AND s.active`,
    [actor.venueId],
  );
  if (!servings.length) throw new Error('the venue has no servings to sell');
  await db.query(
    `WITH d AS MATERIALIZED (
       SELECT s.k::int AS k, s.shift_id, s.f, s.t, vat_rate_bp('standard', s.f, v.time_zone) AS std, vat_rate_bp('reduced', s.f, v.time_zone) AS red
         FROM unnest($4::uuid[], $5::timestamptz[], $6::timestamptz[]) WITH ORDINALITY s (shift_id, f, t, k), venues v
        WHERE v.id = $1
     ), pick AS MATERIALIZED (
       SELECT 1 + floor(random() * cardinality($4::uuid[]))::int AS k, random() AS u, random() AS pay FROM generate_series(1, $3::int)
     ), g AS MATERIALIZED (
       SELECT uuid_v7(h.at) AS id, h.* FROM (SELECT d.f + pick.u * (d.t - d.f) AS at, d.shift_id, d.std, d.red, pick.pay FROM pick JOIN d USING (k)) h
     ), lv AS MATERIALIZED (
       SELECT x.tab_id, x.at, x.shift_id, x.pay, x.n, x.q, ($7::uuid[])[x.k] AS serving_id, ($8::uuid[])[x.k] AS product_id,
              ($9::text[])[x.k] AS description, ($10::int[])[x.k] AS price, ($11::text[])[x.k] AS vat_class,
              CASE WHEN ($11::text[])[x.k] = 'reduced' THEN x.red ELSE x.std END AS rate_bp
         FROM (SELECT g.id AS tab_id, g.at, g.shift_id, g.pay, g.std, g.red, s.n,
                      1 + floor(random() * cardinality($7::uuid[]))::int AS k, 1 + floor(random() * 2)::int AS q
                 FROM g CROSS JOIN generate_series(1, 3) s (n)) x
     ), lines AS MATERIALIZED (
       SELECT lv.*, price * q AS gross, round(price * q * rate_bp / (10000.0 + rate_bp))::int AS vat FROM lv
     ), tot AS MATERIALIZED (
       SELECT tab_id, shift_id, pay, min(at) AS at, sum(gross)::int AS gross, sum(vat)::int AS vat FROM lines GROUP BY tab_id, shift_id, pay
     ), t AS (
       INSERT INTO tabs (id, venue_id, name, status, opened_by, opened_at, closed_by, closed_at, gross_cents, vat_cents, net_cents, shift_id)
       SELECT tab_id, $1, 'Quick sale', 'closed', $2, at, $2, at, gross, vat, gross - vat, shift_id FROM tot
     ), l AS (
       INSERT INTO tab_lines (id, tab_id, venue_id, serving_id, product_id, description, quantity, unit_price_cents, gross_cents,
                              vat_class, vat_rate_bp, vat_cents, net_cents, stock_draw_units, added_by, added_at)
       SELECT uuid_v7(at), tab_id, $1, serving_id, product_id, description, q, price, gross, vat_class, rate_bp, vat, gross - vat, 0.02 * q, $2,
              at + (n - 1) * interval '1 microsecond'
         FROM lines
     ), r AS (
       INSERT INTO processed_requests (scope, request_id, action, reply, created_at)
       SELECT $2::text, 'bench-reports-' || tab_id::text, 'sales.recordSale', '{}'::jsonb, at FROM tot
     )
     INSERT INTO payments (id, tab_id, venue_id, method, amount_cents, created_at)
     SELECT uuid_v7(at), tab_id, $1, p.method, p.amount, at
       FROM tot CROSS JOIN LATERAL (VALUES
         (CASE WHEN pay < 0.45 THEN 'cash' ELSE 'card' END, CASE WHEN pay >= 0.95 THEN gross / 2 ELSE gross END),
         ('cash', CASE WHEN pay >= 0.95 THEN gross - gross / 2 ELSE 0 END)) p (method, amount)
      WHERE p.amount > 0`,
    [
      actor.venueId,
      actor.staffId,
      count,
      days.map((d) => d.shiftId),
      days.map((d) => d.from.toISOString()),
      days.map((d) => d.to.toISOString()),
      servings.map((s) => s.id),
      servings.map((s) => s.product_id),
      servings.map((s) => s.description),
      servings.map((s) => s.price_cents),
      servings.map((s) => s.vat_class),
    ],
  );
}

/**
 * Refunds about `share` of the venue's sales closed in [from, to), each the
 * whole sale, five minutes after it in its shift, by its payment method (card
 * for a split sale): refunds and their lines in one statement, as the
 * triggers count them at its end.
 */
export async function insertRefunds(db: Querier, actor: Actor, from: Date, to: Date, share: number): Promise<void> {
  await db.query(
    `WITH s AS MATERIALIZED (
       SELECT t.id, t.shift_id, t.closed_at, t.gross_cents, t.vat_cents, t.net_cents,
              (SELECT CASE WHEN count(DISTINCT p.method) = 1 THEN min(p.method) ELSE 'card' END FROM payments p WHERE p.tab_id = t.id) AS method
         FROM tabs t
        WHERE t.venue_id = $1 AND t.status = 'closed' AND t.closed_at >= $3 AND t.closed_at < $4 AND random() < $5
     ), r AS MATERIALIZED (
       INSERT INTO refunds (venue_id, sale_id, reason, method, refunded_by, refunded_at, gross_cents, vat_cents, net_cents, shift_id)
       SELECT $1, id, 'Bench: sent back', method, $2, closed_at + interval '5 minutes', -gross_cents, -vat_cents, -net_cents, shift_id FROM s
       RETURNING id, sale_id
     )
     INSERT INTO refund_lines (refund_id, tab_line_id, quantity, gross_cents, vat_cents, net_cents)
     SELECT r.id, l.id, l.quantity, -l.gross_cents, -l.vat_cents, -l.net_cents FROM r JOIN tab_lines l ON l.tab_id = r.sale_id`,
    [actor.venueId, actor.staffId, from.toISOString(), to.toISOString(), share],
  );
}
