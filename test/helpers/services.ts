/**
 * Access to the real services started once per test run by
 * test/setup/global-setup.ts (described in test/.services.json), plus helpers
 * to run app processes against them and to break/repair cluster nodes.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  currentPostgresRoles,
  killPostgresNode as killPg,
  killRabbitNode as killRabbit,
  startPostgresNode,
  startRabbitNode,
  type InfraInfo,
  type PostgresNodeInfo,
} from '../../scripts/stack/infra.js';
import { repoRoot, frontEndEntrypoint, workerEntrypoint } from '../../scripts/stack/paths.js';
import {
  NODE_FLAGS,
  frontEndEnv as stackFrontEndEnv,
  inheritedEnv,
  waitFrontEndReady,
  workerEnv as stackWorkerEnv,
} from '../../scripts/stack/processes.js';
import { removePidRecord, spawnService, stopService, type PidRecord } from '../../scripts/stack/proc.js';
import { portIsFree } from '../../scripts/stack/system.js';

/** test/.services.json, or TEST_SERVICES_FILE (lets two runs on one machine keep apart). */
export const SERVICES_FILE = process.env['TEST_SERVICES_FILE'] || join(repoRoot, 'test', '.services.json');

/** Contents of test/.services.json. */
export interface Services extends InfraInfo {
  version: 1;
  startedAt: string;
  /** Seconds the infrastructure took to start. */
  startSeconds: number;
  /** pid of the jest process that started the services. */
  ownerPid: number;
  secrets: { sessionKey: string };
}

let cached: Services | undefined;

export function loadServices(): Services {
  if (cached) return cached;
  if (!existsSync(SERVICES_FILE)) {
    throw new Error(`${SERVICES_FILE} not found: the services are started by jest's globalSetup (run the suite with npm test)`);
  }
  cached = JSON.parse(readFileSync(SERVICES_FILE, 'utf8')) as Services;
  return cached;
}

/** Environment of a back-end worker (WORKER_ID not included: add your own). */
export function workerEnv(extra: Record<string, string> = {}): Record<string, string> {
  return { ...stackWorkerEnv(loadServices()), ...extra };
}

/** Environment of a front end (PORT 0: pick a free port when listening). */
export function frontEndEnv(extra: Record<string, string> = {}): Record<string, string> {
  return { ...stackFrontEndEnv(loadServices(), 0), ...extra };
}

export interface AppProcess {
  name: string;
  pid: number;
  /** Front end only: http://127.0.0.1:<port> */
  url?: string;
  logFile: string;
  /** Resolves with the exit code (null when killed by a signal). */
  exited: Promise<number | null>;
  kill(signal?: NodeJS.Signals): void;
  /** SIGTERM, then SIGKILL after 10 s; resolves once the process is gone. */
  stop(): Promise<void>;
  /** Everything the process wrote so far. */
  logs(): string;
}

let counter = 0;

async function freePort(): Promise<number> {
  for (let i = 0; i < 50; i++) {
    // Between the stacks' bases and the ephemeral range (see scripts/stack/ports.ts).
    const port = 23000 + Math.floor(Math.random() * 9000);
    if (await portIsFree(port)) return port;
  }
  throw new Error('no free port found');
}

async function startApp(kind: 'worker' | 'front-end', env: Record<string, string>, name: string): Promise<{ rec: PidRecord; proc: AppProcess }> {
  const services = loadServices();
  const entry = kind === 'worker' ? workerEntrypoint : frontEndEntrypoint;
  if (!existsSync(entry)) throw new Error(`${entry} not built: run npx tsc -b`);
  const logFile = join(services.logDir, `${name}.log`);
  // Recorded like the stack's own processes, so global teardown stops leftovers.
  const { record, child } = await spawnService(
    {
      name,
      kind,
      command: process.execPath,
      args: [...NODE_FLAGS, entry],
      env: { ...inheritedEnv(), ...env },
      cwd: repoRoot,
      logFile,
      cmdMarker: entry,
    },
    services.pidDir,
  );
  const exited = new Promise<number | null>((resolve) => {
    if (child.exitCode !== null) resolve(child.exitCode);
    else child.once('exit', (code) => resolve(code));
  });
  const proc: AppProcess = {
    name,
    pid: record.pid,
    logFile,
    exited,
    kill: (signal = 'SIGKILL') => {
      try {
        process.kill(record.pid, signal);
      } catch {
        /* gone */
      }
    },
    stop: async () => {
      await stopService(record, { timeoutMs: 10_000 });
      removePidRecord(services.pidDir, name);
    },
    logs: () => (existsSync(logFile) ? readFileSync(logFile, 'utf8') : ''),
  };
  return { rec: record, proc };
}

/**
 * Starts `node front-end/dist/server.js` on a free port and waits until its
 * /readyz answers 200 (and, with waitForWorker, until a worker has answered it).
 */
export async function startFrontEndProcess(
  extraEnv: Record<string, string> = {},
  opts: { waitForWorker?: boolean; timeoutMs?: number } = {},
): Promise<AppProcess & { url: string }> {
  counter += 1;
  const name = `test-front-end-${process.pid}-${counter}`;
  const port = extraEnv['PORT'] ? Number(extraEnv['PORT']) : await freePort();
  const { proc } = await startApp('front-end', frontEndEnv({ PORT: String(port), ...extraEnv }), name);
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitFrontEndReady(url, {
      timeoutMs: opts.timeoutMs ?? 30_000,
      needWorker: opts.waitForWorker ?? false,
      abort: () => (proc.pid && !isAlive(proc.pid) ? `front end exited:\n${proc.logs().slice(-3000)}` : undefined),
    });
  } catch (err) {
    await proc.stop();
    throw err;
  }
  return { ...proc, url };
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Current roles of the Postgres members, asked of Patroni (not the ones recorded at start). */
export function postgresRoles(): Promise<PostgresNodeInfo[]> {
  return currentPostgresRoles(loadServices());
}

/** SIGKILLs Patroni member `name` (pg1/pg2) and its postgres: a crashed node. */
export function killPostgresNode(name: string): Promise<void> {
  return killPg(loadServices(), name);
}

/** Starts a killed Patroni member again; it rejoins the cluster by itself. */
export function restartPostgresNode(name: string): Promise<void> {
  return startPostgresNode(loadServices(), name);
}

/** SIGKILLs RabbitMQ node `index` (0-based, order of loadServices().rabbitmq). */
export function killRabbitNode(index: number): Promise<void> {
  return killRabbit(loadServices(), index);
}

/** Starts RabbitMQ node `index` again and waits until it is up. */
export function restartRabbitNode(index: number): Promise<void> {
  return startRabbitNode(loadServices(), index);
}
