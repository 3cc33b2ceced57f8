/**
 * The application processes of the stack: back-end workers and the front end,
 * started from their built entrypoints with the environment they read.
 */
import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { InfraInfo } from './infra.js';
import { frontEndEntrypoint, repoRoot, workerEntrypoint, type StackPaths } from './paths.js';
import { groupMembers, isRecordAlive, spawnService, type PidRecord, type ServiceSpec } from './proc.js';
import { httpJson, tailFile, waitFor } from './system.js';

/**
 * Node flags for the app processes (the Dockerfiles' CMD carries the same).
 * They allocate little JavaScript garbage but many short-lived buffers
 * (socket chunks, AMQP frames, replies) outside the JavaScript heap. With the
 * default 16 MB young generation those die unnoticed until their total makes
 * V8 run a full mark-compact, every 150 to 200 ms under load, 3 to 17 ms each;
 * a 4 MB one runs a cheap scavenge often enough to free them first. Measured
 * on `read` at 16 connections: full collections per process 61 → 6 to 22
 * (counted at 2 MB; 1, 2 and 4 MB gave the same p99), p99 31 → 19 to 21 ms,
 * and less memory.
 */
export const NODE_FLAGS = ['--max-semi-space-size=4'];

/** Environment of a back-end worker. */
export function workerEnv(info: InfraInfo, workerId?: string, logLevel = 'info'): Record<string, string> {
  return {
    AMQP_URLS: info.amqpUrls.join(','),
    DB_HOSTS: info.dbEnv.DB_HOSTS,
    DB_NAME: info.dbEnv.DB_NAME,
    DB_USER: info.dbEnv.DB_USER,
    DB_PASSWORD: info.dbEnv.DB_PASSWORD,
    LOG_LEVEL: logLevel,
    ...(workerId ? { WORKER_ID: workerId } : {}),
  };
}

/** Environment of the front end. */
export function frontEndEnv(info: InfraInfo, port = 3000, logLevel = 'info'): Record<string, string> {
  return {
    AMQP_URLS: info.amqpUrls.join(','),
    HOST: '127.0.0.1',
    PORT: String(port),
    SESSION_KEY: info.sessionKey,
    LOG_LEVEL: logLevel,
    COOKIE_SECURE: 'auto',
  };
}

/** The few variables of our own environment that app processes inherit. */
export function inheritedEnv(env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of ['PATH', 'HOME', 'LANG', 'LC_ALL', 'TZ', 'NODE_OPTIONS', 'NODE_EXTRA_CA_CERTS', 'NODE_ENV']) {
    const v = env[k];
    if (v !== undefined) out[k] = v;
  }
  return out;
}

export function workerSpec(info: InfraInfo, paths: StackPaths, index: number, logLevel = 'info'): ServiceSpec {
  const name = `worker-${index}`;
  return {
    name,
    kind: 'worker',
    command: process.execPath,
    args: [...NODE_FLAGS, relative(repoRoot, workerEntrypoint)],
    env: { ...inheritedEnv(), ...workerEnv(info, name, logLevel) },
    cwd: repoRoot,
    logFile: join(paths.logDir, `${name}.log`),
    cmdMarker: relative(repoRoot, workerEntrypoint),
  };
}

export function frontEndSpec(info: InfraInfo, paths: StackPaths, port: number, logLevel = 'info'): ServiceSpec {
  return {
    name: 'front-end',
    kind: 'front-end',
    command: process.execPath,
    args: [...NODE_FLAGS, relative(repoRoot, frontEndEntrypoint)],
    env: { ...inheritedEnv(), ...frontEndEnv(info, port, logLevel) },
    cwd: repoRoot,
    logFile: join(paths.logDir, 'front-end.log'),
    cmdMarker: relative(repoRoot, frontEndEntrypoint),
  };
}

export function checkEntrypoints(): void {
  const missing = [workerEntrypoint, frontEndEntrypoint].filter((f) => !existsSync(f));
  if (missing.length) {
    throw new Error(`not built: ${missing.map((f) => relative(repoRoot, f)).join(', ')} missing; run: npx tsc -b`);
  }
}

export interface ReadyzBody {
  lastWorkerReplyAt?: string | null;
  [k: string]: unknown;
}

/**
 * Resolves once GET <url>/readyz answers 200 and, when `needWorker`, its
 * `lastWorkerReplyAt` is set (a worker answered the front end).
 */
export async function waitFrontEndReady(
  url: string,
  opts: { timeoutMs: number; needWorker: boolean; abort?: () => string | undefined },
): Promise<ReadyzBody> {
  let last = 'no answer yet';
  try {
    return await waitFor(
      `the front end at ${url}/readyz`,
      async () => {
        const r = await httpJson<ReadyzBody>(`${url}/readyz`, { timeoutMs: 2000 });
        last = `HTTP ${r.status} ${JSON.stringify(r.data ?? null)}`;
        if (r.status !== 200) return undefined;
        if (opts.needWorker && (r.data?.lastWorkerReplyAt === null || r.data?.lastWorkerReplyAt === undefined)) return undefined;
        return r.data ?? {};
      },
      { timeoutMs: opts.timeoutMs, intervalMs: 500, ...(opts.abort ? { abort: opts.abort } : {}) },
    );
  } catch (err) {
    throw new Error(`${(err as Error).message}; last /readyz: ${last}`);
  }
}

export interface AppProcesses {
  frontEndUrl: string;
  workers: PidRecord[];
  frontEnd: PidRecord;
}

/** Explains why a recorded app process is gone, with the tail of its log. */
export function exitReason(rec: PidRecord): string | undefined {
  if (isRecordAlive(rec) || groupMembers(rec).length > 0) return undefined;
  return `${rec.name} exited; last lines of ${rec.spec.logFile}:\n${tailFile(rec.spec.logFile, 30)}`;
}

/** Starts `workers` workers and the front end; resolves once the front end is ready. */
export async function startApp(opts: {
  info: InfraInfo;
  paths: StackPaths;
  workers: number;
  port: number;
  logLevel?: string;
  timeoutMs?: number;
  log?: (line: string) => void;
}): Promise<AppProcesses> {
  const log = opts.log ?? (() => {});
  checkEntrypoints();
  const workers: PidRecord[] = [];
  for (let i = 1; i <= opts.workers; i++) {
    const { record } = await spawnService(workerSpec(opts.info, opts.paths, i, opts.logLevel), opts.paths.pidDir);
    log(`started ${record.name} (pid ${record.pid})`);
    workers.push(record);
  }
  const { record: frontEnd } = await spawnService(frontEndSpec(opts.info, opts.paths, opts.port, opts.logLevel), opts.paths.pidDir);
  log(`started front-end (pid ${frontEnd.pid}) on 127.0.0.1:${opts.port}`);
  const frontEndUrl = `http://127.0.0.1:${opts.port}`;
  await waitFrontEndReady(frontEndUrl, {
    timeoutMs: opts.timeoutMs ?? 90_000,
    needWorker: opts.workers > 0,
    abort: () => {
      for (const r of [frontEnd, ...workers]) {
        const why = exitReason(r);
        if (why) return why;
      }
      return undefined;
    },
  });
  return { frontEndUrl, workers, frontEnd };
}
