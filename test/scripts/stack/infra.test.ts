/**
 * The infrastructure started by globalSetup: one primary with a streaming
 * standby that sees its writes, and one RabbitMQ cluster of three running nodes.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import pg from 'pg';
import { groupMembers, readCmdline, readPidRecord } from '../../../scripts/stack/proc.js';
import { httpJson } from '../../../scripts/stack/system.js';
import { loadServices, postgresRoles } from '../../helpers/services.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Per test: a failover by an earlier test may still be settling. */
const TIMEOUT = 90_000;

async function connect(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  await client.connect();
  return client;
}

/** Another test may just have failed a node over: wait for a settled cluster. */
async function settledRoles() {
  const until = Date.now() + 60_000;
  for (;;) {
    const roles = await postgresRoles();
    const primaries = roles.filter((r) => r.role === 'primary');
    const standbys = roles.filter((r) => r.role === 'standby');
    if ((primaries.length === 1 && standbys.length === 1) || Date.now() > until) return { roles, primaries, standbys };
    await sleep(500);
  }
}

describe('PostgreSQL under Patroni', () => {
  const schema = `stack_probe_${process.pid}`;
  let primary: pg.Client;
  let standby: pg.Client;

  beforeAll(async () => {
    const { primaries, standbys } = await settledRoles();
    primary = await connect(primaries[0]!.url);
    standby = await connect(standbys[0]!.url);
  }, TIMEOUT);

  afterAll(async () => {
    await primary?.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => undefined);
    await primary?.end();
    await standby?.end();
  }, TIMEOUT);

  it('has exactly one primary and one standby, as Patroni and postgres both say', async () => {
    const { roles, primaries, standbys } = await settledRoles();
    expect(roles).toHaveLength(2);
    expect(primaries).toHaveLength(1);
    expect(standbys).toHaveLength(1);
    expect((await primary.query('SELECT pg_is_in_recovery() AS r')).rows[0].r).toBe(false);
    expect((await standby.query('SELECT pg_is_in_recovery() AS r')).rows[0].r).toBe(true);
  }, TIMEOUT);

  it('streams a row written on the primary to the standby', async () => {
    const token = `probe-${Date.now()}-${Math.random().toString(36).slice(2)}`;
    await primary.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    await primary.query(`CREATE TABLE IF NOT EXISTS ${schema}.probe (token text PRIMARY KEY)`);
    await primary.query(`INSERT INTO ${schema}.probe (token) VALUES ($1)`, [token]);
    let seen = false;
    const until = Date.now() + 10_000;
    while (!seen && Date.now() < until) {
      const r = await standby
        .query(`SELECT count(*)::int AS n FROM ${schema}.probe WHERE token = $1`, [token])
        .catch(() => ({ rows: [{ n: 0 }] }));
      seen = r.rows[0].n === 1;
      if (!seen) await sleep(200);
    }
    expect(seen).toBe(true);
    await expect(standby.query(`INSERT INTO ${schema}.probe (token) VALUES ('nope')`)).rejects.toMatchObject({ code: '25006' });
  }, TIMEOUT);

  it('has commits wait for the standby: it is the synchronous standby', async () => {
    const { standbys } = await settledRoles();
    // After a failover earlier in the run, Patroni names the rejoined standby
    // synchronous on one of its next cycles. (pg_stat_replication's sync_state
    // is hidden from the app user; the setting Patroni writes is not.)
    let names = '';
    const until = Date.now() + 20_000;
    while (Date.now() < until) {
      names = (await primary.query('SHOW synchronous_standby_names')).rows[0].synchronous_standby_names;
      if (names.includes(standbys[0]!.name)) break;
      await sleep(500);
    }
    expect(names).toContain(standbys[0]!.name);
    expect((await primary.query('SHOW synchronous_commit')).rows[0].synchronous_commit).toBe('on');
  }, TIMEOUT);

  it('has the standby report what its reads need every second', async () => {
    const { rows } = await standby.query('SHOW wal_receiver_status_interval');
    expect(rows[0].wal_receiver_status_interval).toBe('1s');
  }, TIMEOUT);

  it('lets the app user in with its password only (scram-sha-256)', async () => {
    const url = new URL(loadServices().postgres[0]!.url);
    url.password = 'wrong';
    await expect(connect(url.toString())).rejects.toMatchObject({ code: '28P01' });
  }, TIMEOUT);
});

describe('RabbitMQ', () => {
  it('is one cluster of three running nodes, seen alike from every node', async () => {
    const services = loadServices();
    const auth = services.rabbitmqCredentials;
    const expected = services.rabbitmq.map((r) => r.node).sort();
    expect(expected).toHaveLength(3);
    const until = Date.now() + 60_000;
    for (const node of services.rabbitmq) {
      let running: string[] = [];
      for (;;) {
        const res = await httpJson<{ name: string; running: boolean }[]>(
          `http://127.0.0.1:${node.managementPort}/api/nodes?columns=name,running`,
          { auth, timeoutMs: 5000 },
        ).catch(() => ({ status: 0, data: undefined }));
        running = (res.data ?? []).filter((n) => n.running).map((n) => n.name).sort();
        if (running.length === 3 || Date.now() > until) break;
        await sleep(500);
      }
      expect(running).toEqual(expected);
    }
  }, TIMEOUT);

  it('leaves its schedulers to the OS: no two nodes pinned to the same core', () => {
    const services = loadServices();
    const cpusAllowed = (statusFile: string) => /^Cpus_allowed_list:\s*(\S+)/m.exec(readFileSync(statusFile, 'utf8'))?.[1];
    for (const name of ['rmq1', 'rmq2', 'rmq3']) {
      const record = readPidRecord(services.pidDir, name);
      const beam = record && groupMembers(record).find((pid) => readCmdline(pid).includes('beam.smp'));
      expect(beam).toBeDefined();
      const schedulers = readdirSync(`/proc/${beam}/task`).filter((tid) =>
        /^\d+_scheduler$/.test(readFileSync(`/proc/${beam}/task/${tid}/comm`, 'utf8').trim()),
      );
      expect(schedulers.length).toBeGreaterThan(0);
      // Pinned, scheduler 1 of every node would be allowed core 0 only.
      for (const tid of schedulers) {
        expect(cpusAllowed(`/proc/${beam}/task/${tid}/status`)).toBe(cpusAllowed(`/proc/${beam}/status`));
      }
    }
  });

  it('has the app user as administrator and no guest user', async () => {
    const services = loadServices();
    const port = services.rabbitmq[0]!.managementPort;
    const me = await httpJson<{ name: string; tags: string[] | string }>(`http://127.0.0.1:${port}/api/whoami`, {
      auth: services.rabbitmqCredentials,
    });
    expect(me.status).toBe(200);
    expect(String(me.data?.tags)).toContain('administrator');
    const guest = await httpJson(`http://127.0.0.1:${port}/api/whoami`, { auth: { username: 'guest', password: 'guest' } });
    expect(guest.status).toBe(401);
    expect(services.amqpUrls).toEqual(services.rabbitmq.map((r) => r.url));
    expect(services.amqpUrls.every((u) => u.startsWith(`amqp://${services.rabbitmqCredentials.username}:`))).toBe(true);
  }, TIMEOUT);
});
