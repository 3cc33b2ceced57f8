/**
 * The change stream under failure (issue 16, "The stream"): while several
 * bartenders in two venues ring up sales through the real broker, handled by
 * three workers running as processes of their own, the test SIGKILLs the
 * worker whose relay is active, kills the RabbitMQ node that leads the stream
 * barback.changes, and kills the Postgres primary. Afterwards, reading the
 * stream from its first message: every acknowledged sale has exactly one
 * sale.recorded id, every sale.recorded names a sale that committed and every
 * committed sale has one, a message the stream holds twice repeats its id,
 * its position and its body, a reader (ChangeReader) hands each event on once
 * in position order, and the outbox holds nothing unpublished.
 *
 * This test found two bugs: the relay sorted positions as text ('101' before
 * '72'), which put the stream out of order once positions passed 100; and a
 * database connection dying between two statements of a transaction crashed
 * the worker (an unhandled 'error' on the checked-out client). Both fixed.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { pino } from 'pino';
import amqplib from 'amqplib';
import { CHANGE_STREAM, ChangeReader, POSITION_HEADER, RpcClient, type ChangeEvent, type StreamMessage } from '@barback/messaging';
import { NODE_FLAGS } from '../../../scripts/stack/processes.js';
import { repoRoot, workerEntrypoint } from '../../../scripts/stack/paths.js';
import { removePidRecord, spawnService, stopService, type PidRecord } from '../../../scripts/stack/proc.js';
import { portIsFree } from '../../../scripts/stack/system.js';
import { waitForPublished } from '../../helpers/events.js';
import { primaryUrl } from '../../helpers/postgres.js';
import {
  killPostgresNode,
  killRabbitNode,
  loadServices,
  postgresRoles,
  restartPostgresNode,
  restartRabbitNode,
  workerEnv,
} from '../../helpers/services.js';
import { asBartender, createProduct, createVenue, serving, type Caller, type Rig } from '../../helpers/venue.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const silent = pino({ level: 'silent' });

async function waitFor<T>(what: string, fn: () => Promise<T | null | undefined | false>, timeoutMs = 60_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn().catch(() => null);
    if (value) return value;
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(200);
  }
}

async function freePort(): Promise<number> {
  for (let i = 0; i < 50; i++) {
    const port = 23000 + Math.floor(Math.random() * 9000);
    if (await portIsFree(port)) return port;
  }
  throw new Error('no free port found');
}

/* ------------------------------------------------------------- worker processes */

interface WorkerProcess {
  name: string;
  record: PidRecord;
  logFile: string;
  alive: boolean;
}

/** A worker as a process of its own (so SIGKILL is real), recorded like the stack's processes so teardown stops leftovers. */
async function spawnWorker(name: string): Promise<WorkerProcess> {
  const services = loadServices();
  const port = await freePort();
  const logFile = join(services.logDir, `${name}.log`);
  const { record } = await spawnService(
    {
      name,
      kind: 'worker',
      command: process.execPath,
      args: [...NODE_FLAGS, workerEntrypoint],
      env: { ...process.env, ...workerEnv(), WORKER_ID: name, HEALTH_PORT: String(port), LOG_LEVEL: 'info' },
      cwd: repoRoot,
      logFile,
      cmdMarker: workerEntrypoint,
    },
    services.pidDir,
  );
  await waitFor(`${name} to be ready`, async () => (await fetch(`http://127.0.0.1:${port}/readyz`)).ok);
  return { name, record, logFile, alive: true };
}

/**
 * Whether the worker's relay is the active one, by its own log: the last of
 * its "now the active" / "no longer the active" lines. The lock's holder is
 * one connection among the workers' many on the primary, so the log is what
 * names the process.
 */
function relayIsActive(w: WorkerProcess): boolean {
  if (!w.alive || !existsSync(w.logFile)) return false;
  const log = readFileSync(w.logFile, 'utf8');
  return log.lastIndexOf('this worker is now the active change relay') > log.lastIndexOf('no longer the active change relay');
}

async function activeRelay(workers: WorkerProcess[], timeoutMs = 30_000): Promise<WorkerProcess> {
  return waitFor('exactly one active relay', async () => {
    const active = workers.filter(relayIsActive);
    return active.length === 1 ? active[0] : null;
  }, timeoutMs);
}

function killWorker(w: WorkerProcess): void {
  process.kill(w.record.pid, 'SIGKILL');
  w.alive = false;
}

/* ---------------------------------------------------------------------- sales */

interface Attempt {
  venueId: string;
  requestId: string;
  /** The sale's id from the reply, when one came back: an acknowledged sale. */
  saleId: string | null;
}

/** Bartenders selling in a loop, each sale under its own request id, retried with the same id until answered or given up. */
class SalesLoad {
  readonly attempts: Attempt[] = [];
  private running = true;
  private loops: Promise<void>[] = [];

  constructor(sellers: { caller: Caller; servingIds: string[] }[]) {
    this.loops = sellers.map((s) => this.sell(s.caller, s.servingIds));
  }

  acknowledged(): number {
    return this.attempts.filter((a) => a.saleId).length;
  }

  /** Resolves once `more` sales beyond the count now have been acknowledged. */
  async more(more: number, what: string, timeoutMs = 90_000): Promise<void> {
    const target = this.acknowledged() + more;
    await waitFor(`${more} more acknowledged sales (${what})`, async () => this.acknowledged() >= target, timeoutMs);
  }

  private async sell(caller: Caller, servingIds: string[]): Promise<void> {
    for (let n = 0; this.running; n += 1) {
      const attempt: Attempt = { venueId: caller.venueId, requestId: randomUUID(), saleId: null };
      this.attempts.push(attempt);
      const servingId = servingIds[n % servingIds.length]!;
      // A pint at €5.60, or a half at €3.00: the amount follows the serving.
      const amountCents = n % 2 === 0 ? 560 : 300;
      for (let tries = 0; tries < 4 && !attempt.saleId; tries += 1) {
        try {
          const sale = await caller.call(
            'sales.recordSale',
            { lines: [{ servingId, quantity: 1 }], payments: [{ method: 'card', amountCents }] },
            { requestId: attempt.requestId },
          );
          attempt.saleId = sale.id;
        } catch {
          await sleep(300);
        }
      }
      await sleep(20);
    }
  }

  async stop(): Promise<void> {
    this.running = false;
    await Promise.all(this.loops);
  }
}

/* -------------------------------------------------------------------- the test */

const workers: WorkerProcess[] = [];
let client: RpcClient;
let pool: pg.Pool | null = null;

/** A pool on whichever node is the primary now. */
async function primaryPool(): Promise<pg.Pool> {
  await pool?.end().catch(() => undefined);
  pool = new pg.Pool({ connectionString: await primaryUrl(), max: 2 });
  return pool;
}

beforeAll(async () => {
  for (let i = 1; i <= 3; i += 1) workers.push(await spawnWorker(`relay-failover-w${i}-${process.pid}`));
  // Long enough to ride out a Patroni election (ttl 10 s) and a broker node's loss.
  client = new RpcClient({ urls: loadServices().amqpUrls, logger: silent, timeoutMs: 20_000, connectionName: 'relay failover test' });
  client.start();
  await client.waitForConnect();
}, 120_000);

afterAll(async () => {
  await client?.close();
  await pool?.end().catch(() => undefined);
  for (const w of workers) {
    await stopService(w.record, { timeoutMs: 10_000 }).catch(() => undefined);
    removePidRecord(loadServices().pidDir, w.name);
  }
});

/** The RabbitMQ node (index in loadServices().rabbitmq) that leads the stream, asked of the management API of a live node. */
async function streamLeader(): Promise<number> {
  const services = loadServices();
  const { username, password } = services.rabbitmqCredentials;
  const auth = `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
  return waitFor('the stream leader', async () => {
    for (const node of services.rabbitmq) {
      try {
        const res = await fetch(`http://127.0.0.1:${node.managementPort}/api/queues/%2F/barback.changes`, { headers: { authorization: auth } });
        if (!res.ok) continue;
        const body = (await res.json()) as { leader?: string; node?: string };
        const leader = body.leader ?? body.node;
        const index = services.rabbitmq.findIndex((n) => n.node === leader);
        if (index >= 0) return index + 1;
      } catch {
        /* node down: ask the next */
      }
    }
    return null;
  }).then((i) => i - 1);
}

async function readWholeStream(expectedIds: Set<string>, venueIds: Set<string>): Promise<StreamMessage[]> {
  const seen: StreamMessage[] = [];
  const missing = new Set(expectedIds);
  const reader = new ChangeReader({
    urls: loadServices().amqpUrls,
    log: silent,
    connectionName: 'relay failover test reader',
    from: 'first',
    onMessage: (m) => {
      if (!venueIds.has(m.event.venueId)) return;
      seen.push(m);
      missing.delete(m.event.id);
    },
  });
  reader.start();
  try {
    await waitFor(`every outbox event on the stream (${missing.size} missing)`, async () => missing.size === 0, 60_000).catch(() => undefined);
    // A little longer, for any repeat the relay published after the last new one.
    await sleep(1000);
  } finally {
    await reader.stop();
  }
  return seen;
}

/** The stream as it is, duplicates and all, from its first message: what a reader that does not order would see. */
async function readRawStream(expectedIds: Set<string>): Promise<StreamMessage[]> {
  const urls = loadServices().amqpUrls;
  let connection: amqplib.ChannelModel | null = null;
  for (const url of urls) {
    try {
      connection = await amqplib.connect(url);
      break;
    } catch {
      /* node down: try the next */
    }
  }
  if (!connection) throw new Error('no broker node answers');
  const seen: StreamMessage[] = [];
  const missing = new Set(expectedIds);
  try {
    const channel = await connection.createChannel();
    await channel.prefetch(1000);
    await channel.consume(
      CHANGE_STREAM,
      (msg) => {
        if (!msg) return;
        const event = JSON.parse(msg.content.toString('utf8')) as ChangeEvent;
        const headers = msg.properties.headers ?? {};
        seen.push({ offset: Number(headers['x-stream-offset']), position: String(headers[POSITION_HEADER]), event });
        missing.delete(event.id);
        channel.ack(msg);
      },
      { noAck: false, arguments: { 'x-stream-offset': 'first' } },
    );
    await waitFor(`every outbox event in the raw stream (${missing.size} missing)`, async () => missing.size === 0, 60_000).catch(() => undefined);
    await sleep(1000);
  } finally {
    await connection.close().catch(() => undefined);
  }
  return seen;
}

describe('the change stream while things fail', () => {
  it('every acknowledged sale has exactly one sale.recorded id on the stream, in order, after a relay SIGKILL, a broker node loss and a Postgres failover', async () => {
    const rig: Rig = { client, workers: [], primary: primaryPool, close: async () => undefined };
    const sellers: { caller: Caller; servingIds: string[] }[] = [];
    const venueIds = new Set<string>();
    for (const label of ['chaos-a', 'chaos-b']) {
      const venue = await createVenue(rig, label);
      venueIds.add(venue.venueId);
      const stout = await createProduct(venue.manager);
      const servingIds = [serving(stout, 'Pint').id, serving(stout, 'Half').id];
      for (let i = 0; i < 3; i += 1) sellers.push({ caller: await asBartender(venue), servingIds });
    }

    const load = new SalesLoad(sellers);
    const phases: Record<string, string> = {};
    const mark = (what: string) => {
      phases[what] = `${new Date().toISOString()} (ack ${load.acknowledged()})`;
    };
    try {
      await load.more(30, 'before anything fails');

      // 1. The worker whose relay is active dies outright; another takes the lock.
      const relay = await activeRelay(workers);
      killWorker(relay);
      mark('relay killed');
      const successor = await activeRelay(workers);
      expect(successor.name).not.toBe(relay.name);
      await load.more(30, 'after the relay was killed');

      // 2. The node leading the stream dies; a replica takes over and the relay publishes through another node.
      const leader = await streamLeader();
      await killRabbitNode(leader);
      mark(`broker node ${leader} killed`);
      try {
        await load.more(30, 'without the stream leader');
      } finally {
        await restartRabbitNode(leader);
        mark('broker node back');
      }
      await load.more(10, 'with the broker node back');

      // 3. The primary dies; the standby is promoted and the relay moves to it.
      const primary = (await postgresRoles()).find((n) => n.role === 'primary')!;
      await killPostgresNode(primary.name);
      mark(`postgres ${primary.name} killed`);
      try {
        await load.more(30, 'after the Postgres failover');
      } finally {
        await restartPostgresNode(primary.name);
        mark('postgres node back');
      }
      await load.more(10, 'with the old primary back');
    } finally {
      await load.stop();
    }
    // The old primary rejoins as a standby, so the cluster is whole for whatever runs next.
    await waitFor('the old primary to rejoin as a standby', async () => (await postgresRoles()).filter((n) => n.role === 'standby').length === 1, 90_000);

    // The dust settles: nothing is left unpublished in the outbox.
    const db = await primaryPool();
    const outbox: { id: string; venue_id: string; type: ChangeEvent['type']; aggregate_id: string; position: string }[] = [];
    for (const venueId of venueIds) {
      await waitForPublished(db, venueId, 60_000);
      const { rows } = await db.query(
        'SELECT id::text, venue_id::text, type, aggregate_id, position::text FROM outbox WHERE venue_id = $1 ORDER BY position',
        [venueId],
      );
      outbox.push(...rows);
    }
    expect((await db.query<{ n: number }>('SELECT count(*)::int AS n FROM outbox WHERE published_at IS NULL')).rows[0]!.n).toBe(0);
    const { rows: saleRows } = await db.query<{ id: string }>(
      "SELECT id::text FROM tabs WHERE venue_id = ANY($1::uuid[]) AND status = 'closed'",
      [[...venueIds]],
    );
    const committed = new Set(saleRows.map((r) => r.id));

    const outboxIds = new Set(outbox.map((e) => e.id));
    const raw = (await readRawStream(outboxIds)).filter((m) => venueIds.has(m.event.venueId));
    const messages = await readWholeStream(outboxIds, venueIds);

    // In the stream: a message repeated is the same event at the same position; a position never names two events.
    const rawById = new Map<string, StreamMessage>();
    const idAtPosition = new Map<string, string>();
    let repeats = 0;
    for (const m of raw) {
      const first = rawById.get(m.event.id);
      if (first) {
        repeats += 1;
        expect({ position: m.position, event: m.event }).toEqual({ position: first.position, event: first.event });
      } else rawById.set(m.event.id, m);
      const named = idAtPosition.get(m.position);
      if (named) expect(named).toBe(m.event.id);
      else idAtPosition.set(m.position, m.event.id);
    }
    // Reported, not asserted: a killed relay's late messages landing among its successor's first ones could put
    // a first copy ahead of a lower position (both runs are in order, their interleaving need not be); the
    // reader's order, asserted below, is what consumers get.
    const firstCopies = [...rawById.values()].map((m) => BigInt(m.position));
    const rawOutOfOrder = firstCopies.filter((p, i) => i > 0 && p < firstCopies[i - 1]!).length;

    // As a reader hands them on: each event once.
    const byId = new Map<string, StreamMessage>();
    for (const m of messages) {
      expect(byId.has(m.event.id)).toBe(false);
      byId.set(m.event.id, m);
    }

    // Everything the outbox holds reached the stream, at the position the outbox gave it.
    expect(outbox.filter((e) => rawById.get(e.id)?.position !== e.position).map((e) => e.id)).toEqual([]);
    expect(outbox.filter((e) => byId.get(e.id)?.position !== e.position).map((e) => e.id)).toEqual([]);

    // Per venue, in position order, as the reader hands them on.
    for (const venueId of venueIds) {
      const positions = [...byId.values()].filter((m) => m.event.venueId === venueId).map((m) => BigInt(m.position));
      const outOfOrder = positions.filter((p, i) => i > 0 && p <= positions[i - 1]!);
      if (outOfOrder.length) {
        // What the stream holds around the first one, to tell which failure put it there.
        const all = messages.filter((m) => m.event.venueId === venueId);
        const at = all.findIndex((m) => BigInt(m.position) === outOfOrder[0]);
        process.stdout.write(
          `relay-failover: out of order in venue ${venueId}; phases ${JSON.stringify(phases)}\n` +
            all
              .slice(Math.max(0, at - 25), at + 10)
              .map((m) => `  offset ${m.offset} position ${m.position} ${m.event.occurredAt} ${m.event.type} ${m.event.id}`)
              .join('\n') +
            '\n' +
            workers
              .map((w) => {
                const lines = readFileSync(w.logFile, 'utf8').split('\n').filter((l) => /relay|stream|broker/i.test(l));
                return `${w.name}:\n${lines.map((l) => `    ${l.slice(0, 300)}`).join('\n')}`;
              })
              .join('\n') +
            '\n',
        );
      }
      expect(outOfOrder).toEqual([]);
    }

    // Sales: one sale.recorded id per committed sale, none for a sale that did not commit.
    const recordedIdsBySale = new Map<string, Set<string>>();
    for (const m of byId.values()) {
      if (m.event.type !== 'sale.recorded') continue;
      const ids = recordedIdsBySale.get(m.event.aggregateId) ?? new Set<string>();
      ids.add(m.event.id);
      recordedIdsBySale.set(m.event.aggregateId, ids);
    }
    const acknowledged = load.attempts.filter((a): a is Attempt & { saleId: string } => a.saleId !== null);
    expect(acknowledged.filter((a) => recordedIdsBySale.get(a.saleId)?.size !== 1).map((a) => a.saleId)).toEqual([]);
    expect([...recordedIdsBySale.keys()].filter((saleId) => !committed.has(saleId))).toEqual([]);
    expect([...committed].filter((saleId) => recordedIdsBySale.get(saleId)?.size !== 1)).toEqual([]);
    // An acknowledged sale is a committed one, and no request committed twice.
    expect(acknowledged.filter((a) => !committed.has(a.saleId))).toEqual([]);
    expect(committed.size).toBeLessThanOrEqual(load.attempts.length);

    process.stdout.write(
      `relay-failover: ${load.attempts.length} sales attempted, ${acknowledged.length} acknowledged, ${committed.size} committed, ` +
        `${raw.length} stream messages for ${rawById.size} events (${repeats} repeats, ${rawOutOfOrder} first copies behind a later position); ` +
        `${JSON.stringify(phases)}\n`,
    );
  }, 480_000);
});
