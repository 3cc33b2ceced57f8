/**
 * The local infrastructure: etcd, two Patroni/PostgreSQL members (primary +
 * streaming standby) and a three-node RabbitMQ cluster, all on loopback.
 */
import { accessSync, constants, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { ETCD_NAME, etcdClientUrl, etcdSpec, prepareEtcd, waitEtcdReady } from './etcd.js';
import {
  ensureSynchronousReplication,
  killPostgresGroup,
  memberRoles,
  patroniMembers,
  patroniSpec,
  PG_BIN_DIR,
  postmasterPid,
  preparePatroni,
  stopOrphanPostmaster,
  waitForPatroniCluster,
  waitForPrimary,
  type PatroniMember,
  type PgRole,
} from './patroni.js';
import { allPorts, portPlan } from './ports.js';
import { stackPaths, type StackPaths } from './paths.js';
import {
  groupMembers,
  isRecordAlive,
  readAllPidRecords,
  readPidRecord,
  removePidRecord,
  restartFromRecord,
  signalService,
  spawnService,
  stopService,
  type PidRecord,
  type ServiceSpec,
} from './proc.js';
import {
  amqpUrl,
  appCredentials,
  ensureAppUser,
  isFreshNode,
  managementUrl,
  prepareRabbit,
  RABBIT_BIN_DIR,
  rabbitNodes,
  rabbitSpec,
  runRabbitmqctl,
  waitRabbitCluster,
  waitRabbitNodeUp,
  type Credentials,
  type RabbitNode,
} from './rabbitmq.js';
import { loadOrCreateSecrets, NAMES, type StackSecrets } from './secrets.js';
import { ensureDir, portIsFree, serviceUser, sleep, tailFile, withRetries, type RunAs } from './system.js';

export interface PostgresNodeInfo {
  name: string;
  host: string;
  port: number;
  restPort: number;
  /** Role when the information was taken ('unknown' only when a member is down or failing over). */
  role: PgRole | 'unknown';
  /** postgres://barback:<pw>@127.0.0.1:<port>/barback */
  url: string;
}

export interface RabbitNodeInfo {
  /** Erlang node name, e.g. bb21000-1@localhost. */
  node: string;
  /** Stack process name: rmq1..rmq3. */
  name: string;
  host: string;
  port: number;
  managementPort: number;
  /** amqp://barback:<pw>@127.0.0.1:<port> */
  url: string;
  /** http://barback:<pw>@127.0.0.1:<port>/ (fetch() rejects URLs with credentials: use rabbitmqCredentials). */
  managementUrl: string;
}

export interface DbEnv {
  DB_HOSTS: string;
  DB_NAME: string;
  DB_USER: string;
  DB_PASSWORD: string;
}

/** Plain data describing a running infrastructure (JSON-serialisable). */
export interface InfraInfo {
  base: number;
  dataDir: string;
  logDir: string;
  runDir: string;
  pidDir: string;
  etcdUrl: string;
  postgres: PostgresNodeInfo[];
  dbEnv: DbEnv;
  rabbitmq: RabbitNodeInfo[];
  amqpUrls: string[];
  rabbitmqCredentials: Credentials;
  /** Front-end SESSION_KEY (64 hex chars). */
  sessionKey: string;
}

export interface InfraHandle extends InfraInfo {
  /** A plain-data copy (no functions) for JSON files. */
  info(): InfraInfo;
  /** Stops every process of the stack (app processes included) in a safe order. */
  stop(): Promise<void>;
  /** Current Patroni roles (also updates `postgres[].role`). */
  refreshRoles(): Promise<PostgresNodeInfo[]>;
  /** SIGKILLs a Patroni member and its postgres (simulated crash). */
  killPostgresNode(name: string): Promise<void>;
  /** Starts a killed/stopped Patroni member again (it rejoins as a standby or takes the lead). */
  startPostgresNode(name: string): Promise<void>;
  /** SIGKILLs RabbitMQ node `index` (0-based, order of `rabbitmq`). */
  killRabbitNode(index: number): Promise<void>;
  /** Starts RabbitMQ node `index` again and waits until it is up. */
  startRabbitNode(index: number): Promise<void>;
}

export interface StartInfraOptions {
  base: number;
  dataDir: string;
  /** Progress messages (one line each). */
  log?: (line: string) => void;
  /** Overall budget for the start, default 240 s. */
  timeoutMs?: number;
}

export class StackRunningError extends Error {}

const BASE_ENV: Record<string, string> = { LANG: 'C.UTF-8', LC_ALL: 'C.UTF-8' };

/** Absolute path of an executable found in PATH or the usual system dirs. */
export function findExecutable(name: string): string | undefined {
  const dirs = [...(process.env['PATH'] ?? '').split(delimiter), '/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin'];
  for (const dir of dirs) {
    if (!dir) continue;
    const p = join(dir, name);
    try {
      accessSync(p, constants.X_OK);
      return p;
    } catch {
      /* next */
    }
  }
  return undefined;
}

interface Binaries {
  etcd: string;
  patroni: string;
}

/** Fails with an actionable message when a required package is missing. */
export function checkPrerequisites(): Binaries {
  const missing: string[] = [];
  const etcd = findExecutable('etcd');
  const patroni = findExecutable('patroni');
  if (!etcd) missing.push('etcd (package etcd-server)');
  if (!patroni) missing.push('patroni (package patroni)');
  if (!existsSync(join(PG_BIN_DIR, 'postgres'))) missing.push(`${PG_BIN_DIR}/postgres (package postgresql-15)`);
  if (!existsSync(join(RABBIT_BIN_DIR, 'rabbitmq-server'))) missing.push(`${RABBIT_BIN_DIR}/rabbitmq-server (package rabbitmq-server)`);
  if (missing.length || !etcd || !patroni) {
    throw new Error(`missing: ${missing.join(', ')}. Run: bash scripts/bootstrap.sh`);
  }
  return { etcd, patroni };
}

function postgresUrl(port: number, secrets: StackSecrets): string {
  return `postgres://${NAMES.dbUser}:${encodeURIComponent(secrets.dbPassword)}@127.0.0.1:${port}/${NAMES.dbName}`;
}

/** The plain InfraInfo of a stack (roles as given). */
export function buildInfraInfo(
  base: number,
  dataDir: string,
  secrets: StackSecrets,
  roles: Record<string, PgRole | 'unknown'> = {},
): InfraInfo {
  const plan = portPlan(base);
  const paths = stackPaths(dataDir);
  const members = patroniMembers(paths, plan);
  const nodes = rabbitNodes(paths, plan);
  return {
    base,
    dataDir: paths.dataDir,
    logDir: paths.logDir,
    runDir: paths.runDir,
    pidDir: paths.pidDir,
    etcdUrl: etcdClientUrl(plan),
    postgres: members.map((m) => ({
      name: m.name,
      host: '127.0.0.1',
      port: m.port,
      restPort: m.restPort,
      role: roles[m.name] ?? 'unknown',
      url: postgresUrl(m.port, secrets),
    })),
    dbEnv: {
      DB_HOSTS: members.map((m) => `127.0.0.1:${m.port}`).join(','),
      DB_NAME: NAMES.dbName,
      DB_USER: NAMES.dbUser,
      DB_PASSWORD: secrets.dbPassword,
    },
    rabbitmq: nodes.map((n) => ({
      node: n.node,
      name: n.name,
      host: '127.0.0.1',
      port: n.amqpPort,
      managementPort: n.managementPort,
      url: amqpUrl(n, secrets),
      managementUrl: managementUrl(n, secrets),
    })),
    amqpUrls: nodes.map((n) => amqpUrl(n, secrets)),
    rabbitmqCredentials: appCredentials(secrets),
    sessionKey: secrets.sessionKey,
  };
}

/** Pid records of this stack whose processes still run. */
export function liveRecords(paths: StackPaths): PidRecord[] {
  return readAllPidRecords(paths.pidDir).filter((r) => isRecordAlive(r) || groupMembers(r).length > 0);
}

function describeExit(rec: PidRecord): string | undefined {
  if (isRecordAlive(rec) || groupMembers(rec).length > 0) return undefined;
  const tail = tailFile(rec.spec.logFile, 25);
  return `${rec.name} exited; last lines of ${rec.spec.logFile}:\n${tail}`;
}

function logTailFor(names: string[], paths: StackPaths): string {
  return names
    .map((n) => {
      const rec = readPidRecord(paths.pidDir, n);
      const file = rec?.spec.logFile ?? join(paths.logDir, `${n}.log`);
      const tail = tailFile(file, 20);
      return tail ? `--- last lines of ${file}:\n${tail}` : '';
    })
    .filter(Boolean)
    .join('\n');
}

/**
 * Starts etcd, the Patroni cluster and the RabbitMQ cluster; resolves once
 * there is one primary with a streaming standby, and three running RabbitMQ
 * nodes in one cluster with the application user in place. Data and secrets
 * in `dataDir` are reused. On failure everything started is stopped again.
 */
export async function startInfra(opts: StartInfraOptions): Promise<InfraHandle> {
  const log = opts.log ?? (() => {});
  const started = Date.now();
  const deadline = started + (opts.timeoutMs ?? 240_000);
  const left = (): number => Math.max(5_000, deadline - Date.now());
  const plan = portPlan(opts.base);
  const paths = stackPaths(opts.dataDir);
  const bins = checkPrerequisites();

  const live = liveRecords(paths);
  if (live.length) {
    throw new StackRunningError(
      `a stack is already running on ${paths.dataDir} (${live.map((r) => `${r.name}:${r.pid}`).join(', ')}); stop it first`,
    );
  }
  const busy: number[] = [];
  for (const port of allPorts(plan)) if (!(await portIsFree(port))) busy.push(port);
  if (busy.length) {
    throw new Error(
      `port(s) ${busy.join(', ')} on 127.0.0.1 already in use (port base ${plan.base}); stop what uses them or set STACK_PORT_BASE`,
    );
  }

  const pgUser = serviceUser('postgres');
  const rabbitUser = serviceUser('rabbitmq');
  ensureDir(paths.dataDir, 0o755);
  ensureDir(paths.logDir, 0o755);
  ensureDir(paths.runDir, 0o700);
  ensureDir(paths.pidDir, 0o700);
  const secrets = loadOrCreateSecrets(paths.dataDir);
  const members = patroniMembers(paths, plan);
  const nodes = rabbitNodes(paths, plan);
  prepareEtcd(paths);
  preparePatroni(paths, members, pgUser);
  prepareRabbit(paths, nodes, secrets, rabbitUser);

  try {
    log(`starting etcd on 127.0.0.1:${plan.etcdClient}`);
    const etcdSpecV = { ...etcdSpec(paths, plan, { ...BASE_ENV, PATH: '/usr/local/bin:/usr/bin:/bin' }), command: bins.etcd };
    const etcd = await spawnService(etcdSpecV, paths.pidDir);
    await waitEtcdReady(plan, Math.min(left(), 30_000), () => describeExit(etcd.record));

    const pgSpec = (m: PatroniMember): ServiceSpec => ({ ...patroniSpec(m, plan, paths, secrets, pgUser, BASE_ENV), command: bins.patroni });
    const pgStart = startPatroni(paths, members, pgSpec, left, log);
    const rabbitStart = startRabbit(paths, nodes, secrets, rabbitUser, left, log);
    const [pgResult, rabbitResult] = await Promise.allSettled([pgStart, rabbitStart]);
    if (pgResult.status === 'rejected') throw pgResult.reason;
    if (rabbitResult.status === 'rejected') throw rabbitResult.reason;
    const roles = pgResult.value;
    log(`infrastructure ready in ${((Date.now() - started) / 1000).toFixed(1)} s (primary ${roles.primary})`);
    const roleMap: Record<string, PgRole> = { [roles.primary]: 'primary' };
    for (const s of roles.standbys) roleMap[s] = 'standby';
    return makeHandle(buildInfraInfo(plan.base, paths.dataDir, secrets, roleMap), log);
  } catch (err) {
    log(`start failed, stopping what was started: ${(err as Error).message.split('\n')[0] ?? ''}`);
    await stopStack(paths, { log }).catch(() => {});
    throw err;
  }
}

async function startPatroni(
  paths: StackPaths,
  members: PatroniMember[],
  specOf: (member: PatroniMember) => ServiceSpec,
  left: () => number,
  log: (l: string) => void,
): Promise<{ primary: string; standbys: string[] }> {
  const recs: PidRecord[] = [];
  const abort = (): string | undefined => {
    for (const r of recs) {
      const d = describeExit(r);
      if (d) return d;
    }
    return undefined;
  };
  const initialised = members.every((m) => existsSync(join(m.dataDir, 'PG_VERSION')));
  const lastPrimary = existsSync(paths.lastPrimaryFile) ? readFileSync(paths.lastPrimaryFile, 'utf8').trim() : '';
  const first = initialised ? members.find((m) => m.name === lastPrimary) : undefined;
  if (first) {
    // Start the member that was primary at the last stop first, so that it keeps the lead.
    log(`starting Patroni ${first.name} (previous primary) on postgres port ${first.port}`);
    recs.push((await spawnService(specOf(first), paths.pidDir)).record);
    await waitForPrimary(first, Math.min(left(), 90_000), abort);
    for (const m of members) {
      if (m === first) continue;
      log(`starting Patroni ${m.name} on postgres port ${m.port}`);
      recs.push((await spawnService(specOf(m), paths.pidDir)).record);
    }
  } else {
    for (const m of members) {
      log(`starting Patroni ${m.name} on postgres port ${m.port} (REST ${m.restPort})`);
      recs.push((await spawnService(specOf(m), paths.pidDir)).record);
    }
  }
  try {
    const roles = await waitForPatroniCluster(members, Math.min(left(), 150_000), abort);
    const primary = members.find((m) => m.name === roles.primary);
    if (!primary) throw new Error(`Patroni reports ${roles.primary} as primary, which is none of this stack's members`);
    await ensureSynchronousReplication(primary, roles.standbys, Math.min(left(), 60_000), abort);
    log(`postgres: ${roles.primary} is primary, ${roles.standbys.join(', ')} streaming synchronously`);
    return roles;
  } catch (err) {
    throw new Error(`${(err as Error).message}\n${logTailFor(members.map((m) => m.name), paths)}`);
  }
}

const RABBIT_BOOT_ATTEMPTS = 3;

async function startRabbit(
  paths: StackPaths,
  nodes: RabbitNode[],
  secrets: StackSecrets,
  runAs: RunAs | undefined,
  left: () => number,
  log: (l: string) => void,
): Promise<void> {
  const recs = new Map<string, PidRecord>();
  const abortFor = (n: RabbitNode) => (): string | undefined => {
    const r = recs.get(n.name);
    return r ? describeExit(r) : undefined;
  };
  const spawnNode = async (n: RabbitNode): Promise<void> => {
    log(`starting RabbitMQ ${n.node} (AMQP ${n.amqpPort}, management ${n.managementPort})`);
    recs.set(n.name, (await spawnService(rabbitSpec(n, paths, runAs, BASE_ENV), paths.pidDir)).record);
  };
  try {
    const [head, ...rest] = nodes;
    if (!head) return;
    if (nodes.every(isFreshNode)) {
      // A new cluster: the seed node first, so that the others join it instead
      // of forming clusters of their own.
      await spawnNode(head);
      await waitRabbitNodeUp(head, Math.min(left(), 120_000), abortFor(head));
      for (const n of rest) await spawnNode(n);
    } else {
      // An existing cluster: all together, each node waits for its peers.
      for (const n of nodes) await spawnNode(n);
    }
    // RabbitMQ 3.10 sometimes stops a node that syncs its feature flags with a
    // peer still booting (incompatible_feature_flags, a badmap) when several
    // start at once: seen once in ten restarts of the cluster here. Started
    // again, the node joins. A node that never started stays an error.
    await Promise.all(
      nodes.map((n) =>
        withRetries(
          RABBIT_BOOT_ATTEMPTS,
          () => waitRabbitNodeUp(n, Math.min(left(), 150_000), abortFor(n)),
          () => abortFor(n)() !== undefined && left() > 0,
          async (failed) => {
            log(`RabbitMQ ${n.node} stopped while booting (attempt ${failed} of ${RABBIT_BOOT_ATTEMPTS}); starting it again`);
            await spawnNode(n);
          },
        ),
      ),
    );
    const user = await ensureAppUser(head, secrets, (args, stdin) =>
      runRabbitmqctl(head, paths, runAs, args, stdin !== undefined ? { stdin } : {}),
    );
    if (user === 'created') log(`RabbitMQ user ${NAMES.rabbitUser} created (guest removed)`);
    await waitRabbitCluster(nodes, appCredentials(secrets), Math.min(left(), 60_000));
    log(`rabbitmq: cluster of ${nodes.length} running nodes`);
  } catch (err) {
    throw new Error(`${(err as Error).message}\n${logTailFor(nodes.map((n) => n.name), paths)}`);
  }
}

function restPortOf(rec: PidRecord): number | undefined {
  const listen = rec.spec.env['PATRONI_RESTAPI_LISTEN'];
  const port = listen ? Number(listen.split(':').pop()) : NaN;
  return Number.isInteger(port) ? port : undefined;
}

function memberOf(rec: PidRecord): PatroniMember | undefined {
  const dataDir = rec.spec.env['PATRONI_POSTGRESQL_DATA_DIR'];
  const listen = rec.spec.env['PATRONI_POSTGRESQL_LISTEN'];
  const restPort = restPortOf(rec);
  if (!dataDir || !listen || restPort === undefined) return undefined;
  return { name: rec.name, port: Number(listen.split(':').pop()), restPort, nodeDir: rec.spec.cwd, dataDir };
}

/**
 * Stops every process recorded in `<runDir>/pids` of this data dir: app
 * processes, RabbitMQ nodes, Patroni standbys, the Patroni primary (each
 * Patroni stops its postgres cleanly), then etcd. SIGTERM first, SIGKILL
 * after a timeout. Only pids whose start time and command line match their
 * record are signalled.
 */
export async function stopStack(paths: StackPaths, opts: { log?: (l: string) => void } = {}): Promise<void> {
  const log = opts.log ?? (() => {});
  const records = readAllPidRecords(paths.pidDir);
  const byKind = (k: string): PidRecord[] => records.filter((r) => r.kind === k);
  const stopAll = async (recs: PidRecord[], timeoutMs: number): Promise<void> => {
    await Promise.all(
      recs.map(async (r) => {
        const result = await stopService(r, { timeoutMs });
        if (result !== 'not-running') log(`${r.name} ${result === 'killed' ? 'killed after timeout' : 'stopped'}`);
        removePidRecord(paths.pidDir, r.name);
      }),
    );
  };

  await stopAll([...byKind('front-end'), ...byKind('worker')], 15_000);
  // RabbitMQ and PostgreSQL are independent: stop them side by side.
  await Promise.all([stopAll(byKind('rabbitmq'), 60_000), stopPatroni()]);
  await stopAll(byKind(ETCD_NAME), 20_000);
  const rest = readAllPidRecords(paths.pidDir);
  await stopAll(rest, 20_000);

  async function stopPatroni(): Promise<void> {
    const pg = byKind('patroni');
    if (!pg.length) return;
    const members = pg.map(memberOf).filter((m): m is PatroniMember => m !== undefined);
    const roles = await memberRoles(members);
    const primaries = pg.filter((r) => roles[r.name] === 'primary');
    const others = pg.filter((r) => roles[r.name] !== 'primary');
    const [primary, ...otherPrimaries] = primaries;
    if (primary && !otherPrimaries.length) writeFileSync(paths.lastPrimaryFile, `${primary.name}\n`);
    for (const group of [others, primaries]) {
      await stopAll(group, 60_000);
      for (const r of group) {
        const m = memberOf(r);
        if (m && postmasterPid(m) !== undefined) {
          log(`postgres of ${r.name} still running after Patroni stopped; shutting it down`);
          await stopOrphanPostmaster(m);
        }
      }
    }
  }
}

function plainCopy(info: InfraInfo): InfraInfo {
  return JSON.parse(JSON.stringify(info)) as InfraInfo;
}

function makeHandle(info: InfraInfo, log: (l: string) => void): InfraHandle {
  const handle: InfraHandle = {
    ...info,
    info: () =>
      plainCopy({
        base: handle.base,
        dataDir: handle.dataDir,
        logDir: handle.logDir,
        runDir: handle.runDir,
        pidDir: handle.pidDir,
        etcdUrl: handle.etcdUrl,
        postgres: handle.postgres,
        dbEnv: handle.dbEnv,
        rabbitmq: handle.rabbitmq,
        amqpUrls: handle.amqpUrls,
        rabbitmqCredentials: handle.rabbitmqCredentials,
        sessionKey: handle.sessionKey,
      }),
    stop: () => stopStack(stackPaths(info.dataDir), { log }),
    refreshRoles: async () => {
      handle.postgres = await currentPostgresRoles(handle);
      return handle.postgres;
    },
    killPostgresNode: (name) => killPostgresNode(info, name),
    startPostgresNode: (name) => startPostgresNode(info, name),
    killRabbitNode: (index) => killRabbitNode(info, index),
    startRabbitNode: (index) => startRabbitNode(info, index),
  };
  return handle;
}

// ---- Operations on a running stack, usable from any process (tests, CLI) ----

function memberByName(info: InfraInfo, name: string): PatroniMember {
  const m = patroniMembers(stackPaths(info.dataDir), portPlan(info.base)).find((x) => x.name === name);
  if (!m) throw new Error(`no postgres member named ${name}`);
  return m;
}

function rabbitByIndex(info: InfraInfo, index: number): RabbitNode {
  const n = rabbitNodes(stackPaths(info.dataDir), portPlan(info.base))[index];
  if (!n) throw new Error(`no RabbitMQ node with index ${index} (0-based)`);
  return n;
}

export async function currentPostgresRoles(info: InfraInfo): Promise<PostgresNodeInfo[]> {
  const members = patroniMembers(stackPaths(info.dataDir), portPlan(info.base));
  const roles = await memberRoles(members);
  return info.postgres.map((p) => ({ ...p, role: roles[p.name] ?? 'unknown' }));
}

async function waitGone(rec: PidRecord, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (groupMembers(rec).length > 0 && Date.now() < deadline) await sleep(100);
}

export async function killPostgresNode(info: InfraInfo, name: string): Promise<void> {
  const member = memberByName(info, name);
  const rec = readPidRecord(info.pidDir, name);
  if (rec) {
    signalService(rec, 'SIGKILL');
    await waitGone(rec);
  }
  killPostgresGroup(member, 'SIGKILL');
  const deadline = Date.now() + 10_000;
  while (postmasterPid(member) !== undefined && Date.now() < deadline) await sleep(100);
}

export async function startPostgresNode(info: InfraInfo, name: string): Promise<void> {
  memberByName(info, name);
  await restartFromRecord(info.pidDir, name);
}

export async function killRabbitNode(info: InfraInfo, index: number): Promise<void> {
  const node = rabbitByIndex(info, index);
  const rec = readPidRecord(info.pidDir, node.name);
  if (!rec) throw new Error(`no pid record for ${node.name}`);
  signalService(rec, 'SIGKILL');
  await waitGone(rec);
}

export async function startRabbitNode(info: InfraInfo, index: number, timeoutMs = 120_000): Promise<void> {
  const node = rabbitByIndex(info, index);
  const { record } = await restartFromRecord(info.pidDir, node.name);
  await waitRabbitNodeUp(node, timeoutMs, () => describeExit(record));
}
