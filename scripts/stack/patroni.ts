/**
 * Patroni + PostgreSQL 15 members (pg1, pg2) of the local stack, configured by
 * db/patroni/patroni.yml plus per-member environment variables.
 */
import { accessSync, chmodSync, constants, existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { PortPlan } from './ports.js';
import { patroniConfigFile, postBootstrapScript, type StackPaths } from './paths.js';
import type { ServiceSpec } from './proc.js';
import { readCmdline, readProcStat } from './proc.js';
import { NAMES, type StackSecrets } from './secrets.js';
import { ensureDir, httpJson, httpRequest, isRoot, sleep, waitFor, type RunAs } from './system.js';

export const PG_BIN_DIR = '/usr/lib/postgresql/15/bin';
export const PG_SOCKET_DIR = '/var/run/postgresql';

export interface PatroniMember {
  name: string;
  port: number;
  restPort: number;
  /** Owned by the postgres user, mode 0700: pgpass, HOME, and the data dir. */
  nodeDir: string;
  dataDir: string;
}

export type PgRole = 'primary' | 'standby';

export function patroniMembers(paths: StackPaths, plan: PortPlan): PatroniMember[] {
  return plan.postgres.map((port, i) => {
    const name = `pg${i + 1}`;
    const nodeDir = join(paths.postgresDir, name);
    const restPort = plan.patroniRest[i];
    if (restPort === undefined) throw new Error(`no Patroni REST port for ${name}`);
    return { name, port, restPort, nodeDir, dataDir: join(nodeDir, 'data') };
  });
}

/** Environment of one Patroni member: everything node-specific that patroni.yml leaves out. */
export function patroniEnv(
  member: PatroniMember,
  plan: PortPlan,
  secrets: StackSecrets,
  baseEnv: Record<string, string>,
): Record<string, string> {
  return {
    ...baseEnv,
    PATH: `${PG_BIN_DIR}:/usr/local/bin:/usr/bin:/bin`,
    HOME: member.nodeDir,
    PATRONI_NAME: member.name,
    PATRONI_SCOPE: NAMES.patroniScope,
    PATRONI_RESTAPI_LISTEN: `127.0.0.1:${member.restPort}`,
    PATRONI_RESTAPI_CONNECT_ADDRESS: `127.0.0.1:${member.restPort}`,
    PATRONI_POSTGRESQL_LISTEN: `127.0.0.1:${member.port}`,
    PATRONI_POSTGRESQL_CONNECT_ADDRESS: `127.0.0.1:${member.port}`,
    PATRONI_POSTGRESQL_DATA_DIR: member.dataDir,
    PATRONI_POSTGRESQL_PGPASS: join(member.nodeDir, 'pgpass'),
    PATRONI_ETCD3_HOSTS: `127.0.0.1:${plan.etcdClient}`,
    PATRONI_SUPERUSER_USERNAME: NAMES.superuser,
    PATRONI_SUPERUSER_PASSWORD: secrets.postgresPassword,
    PATRONI_REPLICATION_USERNAME: NAMES.replicationUser,
    PATRONI_REPLICATION_PASSWORD: secrets.replicationPassword,
    BARBACK_POST_BOOTSTRAP: postBootstrapScript,
    BARBACK_DB_USER: NAMES.dbUser,
    BARBACK_DB_PASSWORD: secrets.dbPassword,
    BARBACK_DB_NAME: NAMES.dbName,
  };
}

export function patroniSpec(
  member: PatroniMember,
  plan: PortPlan,
  paths: StackPaths,
  secrets: StackSecrets,
  runAs: RunAs | undefined,
  baseEnv: Record<string, string>,
): ServiceSpec {
  return {
    name: member.name,
    kind: 'patroni',
    command: 'patroni',
    args: [patroniConfigFile],
    env: patroniEnv(member, plan, secrets, baseEnv),
    cwd: member.nodeDir,
    runAs,
    logFile: join(paths.logDir, `${member.name}.log`),
    cmdMarker: 'patroni',
  };
}

/** Directories (owned by postgres when we are root) and the unix socket directory. */
export function preparePatroni(paths: StackPaths, members: PatroniMember[], runAs: RunAs | undefined): void {
  ensureDir(paths.postgresDir, 0o755);
  for (const m of members) ensureDir(m.nodeDir, 0o700, runAs);
  if (runAs) {
    ensureDir(PG_SOCKET_DIR, 0o2775, runAs);
  } else {
    try {
      accessSync(PG_SOCKET_DIR, constants.W_OK | constants.X_OK);
    } catch {
      throw new Error(
        `${PG_SOCKET_DIR} (the PostgreSQL unix socket directory set in db/patroni/patroni.yml) is missing or not writable by this user.\n` +
          `Fix it once with: sudo install -d -m 2775 -o postgres -g postgres ${PG_SOCKET_DIR} && sudo usermod -aG postgres "$USER" (then log in again),\n` +
          `or run the stack as root.`,
      );
    }
  }
  // Patroni runs the hook directly; a checkout without the exec bit would break bootstrap.
  if (existsSync(postBootstrapScript) && (statSync(postBootstrapScript).mode & 0o111) !== 0o111) {
    if (isRoot() || statSync(postBootstrapScript).uid === process.getuid?.()) chmodSync(postBootstrapScript, 0o755);
  }
}

export interface PatroniStatus {
  state?: string;
  role?: string;
  timeline?: number;
  cluster_unlocked?: boolean;
  replication?: { usename?: string; application_name?: string; state?: string; sync_state?: string }[];
  xlog?: Record<string, unknown>;
}

export async function patroniStatus(restPort: number): Promise<PatroniStatus | undefined> {
  try {
    const r = await httpJson<PatroniStatus>(`http://127.0.0.1:${restPort}/patroni`, { timeoutMs: 2000 });
    return r.data;
  } catch {
    return undefined;
  }
}

/** Role as seen by Patroni right now ('unknown' when the member is down or in transition). */
export function roleOf(st: PatroniStatus | undefined): PgRole | 'unknown' {
  if (!st || st.state !== 'running') return 'unknown';
  if (st.role === 'master' || st.role === 'primary') return st.cluster_unlocked ? 'unknown' : 'primary';
  if (st.role === 'replica' || st.role === 'standby_leader') return 'standby';
  return 'unknown';
}

export async function memberRoles(members: PatroniMember[]): Promise<Record<string, PgRole | 'unknown'>> {
  const out: Record<string, PgRole | 'unknown'> = {};
  await Promise.all(
    members.map(async (m) => {
      out[m.name] = roleOf(await patroniStatus(m.restPort));
    }),
  );
  return out;
}

export interface ClusterRoles {
  primary: string;
  standbys: string[];
}

/**
 * Resolves once exactly one member is primary (holding the leader lock) and
 * every other member of `members` is a running standby that streams from it.
 */
export async function waitForPatroniCluster(
  members: PatroniMember[],
  timeoutMs: number,
  abort?: () => string | undefined,
): Promise<ClusterRoles> {
  let lastSeen = '';
  try {
    return await waitFor(
      `the Patroni cluster (one primary + ${members.length - 1} streaming standby)`,
      async () => {
        const statuses = await Promise.all(members.map((m) => patroniStatus(m.restPort)));
        lastSeen = members.map((m, i) => `${m.name}=${statuses[i]?.state ?? 'down'}/${statuses[i]?.role ?? '-'}`).join(', ');
        const primaries = members.filter((_, i) => roleOf(statuses[i]) === 'primary');
        const [primary, ...otherPrimaries] = primaries;
        if (!primary || otherPrimaries.length) return undefined;
        const pst = statuses[members.indexOf(primary)];
        const standbys = members.filter((m) => m !== primary);
        for (const s of standbys) {
          if (roleOf(statuses[members.indexOf(s)]) !== 'standby') return undefined;
          const rep = pst?.replication?.find((r) => r.application_name === s.name);
          if (rep?.state !== 'streaming') return undefined;
        }
        return { primary: primary.name, standbys: standbys.map((s) => s.name) };
      },
      { timeoutMs, intervalMs: 500, ...(abort ? { abort } : {}) },
    );
  } catch (err) {
    throw new Error(`${(err as Error).message}; members: ${lastSeen}`);
  }
}

/**
 * Synchronous replication on (see db/patroni/patroni.yml), then resolves once
 * every standby is the primary's synchronous standby. bootstrap.dcs applies
 * only when a cluster is created, so a cluster made before the setting (an
 * old .stack/) is switched over here through Patroni's REST API.
 */
export async function ensureSynchronousReplication(
  primary: PatroniMember,
  standbys: readonly string[],
  timeoutMs: number,
  abort?: () => string | undefined,
): Promise<void> {
  const config = await httpJson<{ synchronous_mode?: boolean }>(`http://127.0.0.1:${primary.restPort}/config`, { timeoutMs: 3000 });
  if (config.data?.synchronous_mode !== true) {
    const r = await httpRequest(`http://127.0.0.1:${primary.restPort}/config`, {
      method: 'PATCH',
      json: { synchronous_mode: true, synchronous_mode_strict: false },
      timeoutMs: 5000,
    });
    if (r.status !== 200) throw new Error(`Patroni refused to turn synchronous_mode on: ${r.status} ${r.body.slice(0, 200)}`);
  }
  await waitFor(
    `${standbys.join(', ')} to replicate synchronously from ${primary.name}`,
    async () => {
      const st = await patroniStatus(primary.restPort);
      return standbys.every((name) => st?.replication?.find((r) => r.application_name === name)?.sync_state === 'sync') || undefined;
    },
    { timeoutMs, intervalMs: 500, ...(abort ? { abort } : {}) },
  );
}

/** Resolves once `member` is the primary. */
export async function waitForPrimary(member: PatroniMember, timeoutMs: number, abort?: () => string | undefined): Promise<void> {
  await waitFor(`${member.name} to become primary`, async () => roleOf(await patroniStatus(member.restPort)) === 'primary', {
    timeoutMs,
    intervalMs: 500,
    ...(abort ? { abort } : {}),
  });
}

/** PID of the member's postmaster when it is running (from postmaster.pid, verified in /proc). */
export function postmasterPid(member: PatroniMember): number | undefined {
  let text: string;
  try {
    text = readFileSync(join(member.dataDir, 'postmaster.pid'), 'utf8');
  } catch {
    return undefined;
  }
  const pid = Number(text.split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  const st = readProcStat(pid);
  if (!st || st.state === 'Z') return undefined;
  const cmd = readCmdline(pid);
  return cmd.includes('postgres') && cmd.includes(member.dataDir) ? pid : undefined;
}

/**
 * Makes sure the member's postgres is gone once Patroni has exited: fast
 * shutdown (SIGINT), then immediate (SIGQUIT), then SIGKILL of its process group.
 */
export async function stopOrphanPostmaster(member: PatroniMember, timeoutMs = 20_000): Promise<void> {
  const pid = postmasterPid(member);
  if (pid === undefined) return;
  const steps: [NodeJS.Signals, number][] = [
    ['SIGINT', timeoutMs],
    ['SIGQUIT', 5000],
  ];
  for (const [sig, wait] of steps) {
    try {
      process.kill(pid, sig);
    } catch {
      return;
    }
    const deadline = Date.now() + wait;
    while (Date.now() < deadline) {
      if (postmasterPid(member) === undefined) return;
      await sleep(200);
    }
  }
  killPostgresGroup(member, 'SIGKILL');
}

/**
 * Sends `signal` to every process of the member's postgres: Patroni starts the
 * postmaster in a session of its own, so its process group holds postgres only.
 */
export function killPostgresGroup(member: PatroniMember, signal: NodeJS.Signals): boolean {
  const pid = postmasterPid(member);
  if (pid === undefined) return false;
  const pgrp = readProcStat(pid)?.pgrp;
  const own = readProcStat(process.pid)?.pgrp;
  try {
    if (pgrp !== undefined && pgrp > 1 && pgrp !== own) process.kill(-pgrp, signal);
    else process.kill(pid, signal);
  } catch {
    return false;
  }
  return true;
}
