/**
 * The stack the benchmark measures, built from the local stack's own modules
 * (scripts/stack): either a fresh one on its own ports and data dir (default:
 * STACK_PORT_BASE 25000, data in /tmp), or the one `npm run stack:up` started.
 * The benchmark also runs its direct baseline server here, recorded like any
 * other process of the stack so that stop() (and `stack:down`) stop it too.
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { startInfra, type InfraHandle, type InfraInfo } from '../../scripts/stack/infra.js';
import { defaultDataDir, repoRoot, stackPaths, type StackPaths } from '../../scripts/stack/paths.js';
import { NODE_FLAGS, checkEntrypoints, frontEndSpec, inheritedEnv, waitFrontEndReady, workerEnv, workerSpec } from '../../scripts/stack/processes.js';
import {
  isRecordAlive,
  readAllPidRecords,
  removePidRecord,
  spawnService,
  stopService,
  type PidRecord,
  type ServiceSpec,
} from '../../scripts/stack/proc.js';
import { httpRequest, portIsFree, sleep, tailFile, waitFor } from '../../scripts/stack/system.js';

export interface StackOptions {
  /** Use the stack `npm run stack:up` started (STACK_DATA_DIR or .stack) instead of starting one. */
  useExisting: boolean;
  base: number;
  dataDir: string;
  workers: number;
  logLevel: string;
  /** Extra environment for the workers / the front end (levers to try without changing code). */
  workerEnv: Record<string, string>;
  frontEndEnv: Record<string, string>;
  log: (line: string) => void;
}

export interface BenchStack {
  readonly own: boolean;
  readonly info: InfraInfo;
  readonly paths: StackPaths;
  readonly frontEndUrl: string;
  frontEndPid(): number | null;
  workerPids(): number[];
  /** Replaces the workers with `count` fresh ones (own stack only). */
  setWorkers(count: number): Promise<void>;
  canSetWorkers(): boolean;
  /** Starts the direct baseline server for `actor`; returns its URL. */
  startDirect(actor: { staffId: string; venueId: string }): Promise<string>;
  directPid(): number | null;
  stopDirect(): Promise<void>;
  /** Stops what the benchmark started: everything for its own stack, the direct server for an existing one. */
  stop(): Promise<void>;
}

interface StackState {
  frontEndUrl: string | null;
  infra: InfraInfo;
}

const DIRECT_NAME = 'bench-direct';
const directEntrypoint = join(repoRoot, 'bench', 'direct-server.ts');

async function freePort(from: number, to: number): Promise<number> {
  for (let port = from; port <= to; port++) if (await portIsFree(port)) return port;
  throw new Error(`no free port from ${from} to ${to}`);
}

export async function openStack(opts: StackOptions): Promise<BenchStack> {
  checkEntrypoints();
  let infra: InfraHandle | null = null;
  let info: InfraInfo;
  let paths: StackPaths;
  let frontEndUrl: string;
  let frontEnd: PidRecord | null = null;
  let workers: PidRecord[] = [];
  let direct: PidRecord | null = null;
  const own = !opts.useExisting;

  if (opts.useExisting) {
    paths = stackPaths(defaultDataDir());
    if (!existsSync(paths.stateFile)) throw new Error(`no running stack in ${paths.dataDir}: start one with npm run stack:up`);
    const state = JSON.parse(readFileSync(paths.stateFile, 'utf8')) as StackState;
    if (!state.frontEndUrl) throw new Error(`the stack in ${paths.dataDir} has no front end (infra-up?): start it with npm run stack:up`);
    info = state.infra;
    frontEndUrl = state.frontEndUrl;
    const records = readAllPidRecords(paths.pidDir).filter(isRecordAlive);
    frontEnd = records.find((r) => r.name === 'front-end') ?? null;
    workers = records.filter((r) => r.kind === 'worker').sort((a, b) => a.name.localeCompare(b.name, 'en', { numeric: true }));
    if (!frontEnd || !workers.length) throw new Error(`the stack in ${paths.dataDir} is not fully running (front end and workers)`);
    await waitFrontEndReady(frontEndUrl, { timeoutMs: 10_000, needWorker: true });
    opts.log(`using the running stack in ${paths.dataDir}: ${frontEndUrl}, ${workers.length} workers`);
  } else {
    paths = stackPaths(opts.dataDir);
    const port = opts.base + 60;
    if (!(await portIsFree(port))) throw new Error(`port ${port} (front end: port base + 60) is in use`);
    // Ports of a stack stopped a moment ago may linger (TIME_WAIT), and the plan lies in the
    // ephemeral range where an outgoing connection can hold one for a while: wait for them.
    for (let attempt = 1; ; attempt++) {
      try {
        infra = await startInfra({ base: opts.base, dataDir: opts.dataDir, log: opts.log });
        break;
      } catch (err) {
        const msg = (err as Error).message;
        // Checked free, then taken by someone's outgoing connection before a node bound it.
        const lostRace = /EADDRINUSE|eaddrinuse|could_not_start_listener/.test(msg);
        if (!(/already in use/.test(msg) || lostRace) || attempt >= 12) throw err;
        opts.log(`${lostRace ? 'a port was taken while the stack started' : msg.split(';')[0]}; retrying in 5 s with a fresh data dir`);
        removeDataDir(opts.dataDir);
        await sleep(5000);
      }
    }
    info = infra.info();
    frontEndUrl = `http://127.0.0.1:${port}`;
  }

  const spawnWorker = async (index: number): Promise<PidRecord> => {
    const base = workerSpec(info, paths, index, opts.logLevel);
    // The worker's health port says when it consumes (whatever the log level): the first free one from port base + 70.
    const healthPort = await freePort(info.base + 70 + index, info.base + 99);
    const spec: ServiceSpec = { ...base, env: { ...base.env, HEALTH_PORT: String(healthPort), ...opts.workerEnv } };
    const { record } = await spawnService(spec, paths.pidDir);
    await waitFor(
      `${spec.name} ready (http://127.0.0.1:${healthPort}/readyz)`,
      async () => {
        const r = await httpRequest(`http://127.0.0.1:${healthPort}/readyz`, { timeoutMs: 1000 }).catch(() => null);
        return r?.status === 200 ? true : undefined;
      },
      {
        timeoutMs: 120_000,
        intervalMs: 250,
        abort: () => (isRecordAlive(record) ? undefined : `${spec.name} exited; last lines of ${spec.logFile}:\n${tailFile(spec.logFile, 20)}`),
      },
    );
    return record;
  };

  const stopRecord = async (rec: PidRecord): Promise<void> => {
    await stopService(rec, { timeoutMs: 15_000 });
    removePidRecord(paths.pidDir, rec.name);
  };

  const stack: BenchStack = {
    own,
    info,
    paths,
    frontEndUrl,
    frontEndPid: () => frontEnd?.pid ?? null,
    workerPids: () => workers.map((w) => w.pid),
    canSetWorkers: () => own,
    async setWorkers(count) {
      if (!own) throw new Error('the worker count of a stack the benchmark did not start is left alone');
      if (workers.length === count && workers.every(isRecordAlive)) return;
      await Promise.all(workers.map(stopRecord));
      workers = [];
      for (let i = 1; i <= count; i++) workers.push(await spawnWorker(i));
      opts.log(`${count} worker${count === 1 ? '' : 's'} consuming`);
    },
    async startDirect(actor) {
      await stack.stopDirect();
      const port = info.base + 61;
      if (!(await portIsFree(port))) throw new Error(`port ${port} (direct server: port base + 61) is in use`);
      const spec: ServiceSpec = {
        name: DIRECT_NAME,
        kind: 'front-end',
        command: process.execPath,
        args: [...NODE_FLAGS, '--import', 'tsx', relative(repoRoot, directEntrypoint)],
        env: {
          ...inheritedEnv(),
          ...workerEnv(info, DIRECT_NAME, opts.logLevel),
          ...opts.workerEnv,
          PORT: String(port),
          BENCH_ACTOR: `${actor.staffId}:${actor.venueId}`,
        },
        cwd: repoRoot,
        logFile: join(paths.logDir, `${DIRECT_NAME}.log`),
        cmdMarker: relative(repoRoot, directEntrypoint),
      };
      const { record } = await spawnService(spec, paths.pidDir);
      direct = record;
      const url = `http://127.0.0.1:${port}`;
      await waitFor(
        `the direct server at ${url}/healthz`,
        async () => ((await httpRequest(`${url}/healthz`, { timeoutMs: 1000 }).catch(() => null))?.status === 200 ? true : undefined),
        {
          timeoutMs: 60_000,
          intervalMs: 250,
          abort: () => (isRecordAlive(record) ? undefined : `it exited; last lines of ${spec.logFile}:\n${tailFile(spec.logFile, 20)}`),
        },
      );
      return url;
    },
    directPid: () => direct?.pid ?? null,
    async stopDirect() {
      if (direct) await stopRecord(direct);
      direct = null;
    },
    async stop() {
      await stack.stopDirect().catch(() => undefined);
      if (infra) await infra.stop();
    },
  };

  if (own) {
    try {
      await stack.setWorkers(opts.workers);
      const base = frontEndSpec(info, paths, opts.base + 60, opts.logLevel);
      // The auth routes' per-IP limit (60/min) would turn a login storm from one address into 429s.
      const spec: ServiceSpec = {
        ...base,
        env: { ...base.env, AUTH_RATE_LIMIT_PER_MINUTE: '100000000', ...opts.frontEndEnv },
      };
      frontEnd = (await spawnService(spec, paths.pidDir)).record;
      const fe = frontEnd;
      await waitFrontEndReady(frontEndUrl, {
        timeoutMs: 90_000,
        needWorker: true,
        abort: () => (isRecordAlive(fe) ? undefined : `front end exited:\n${tailFile(spec.logFile, 30)}`),
      });
      opts.log(`front end ready at ${frontEndUrl}`);
    } catch (err) {
      await stack.stop().catch(() => undefined);
      throw err;
    }
  }
  return stack;
}

/** Deletes a data dir the benchmark created (own stack only, after stop()). */
export function removeDataDir(dir: string): void {
  if (dir.startsWith('/tmp/barback-bench-')) rmSync(dir, { recursive: true, force: true });
}

export { sleep };
