/**
 * Managed processes: every stack process runs in its own process group
 * (spawned with `detached: true`), its output is appended to a log file, and a
 * pid record (<runDir>/pids/<name>.json, mode 0600) remembers pid, start time
 * and the full spawn spec, so that another process (`cli.ts down`, a test
 * helper) can verify, stop or restart it later.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { RUN_HEADER, sleep, type RunAs } from './system.js';

export type ServiceKind = 'etcd' | 'patroni' | 'rabbitmq' | 'worker' | 'front-end';

export interface ServiceSpec {
  /** Unique within a stack: etcd, pg1, rmq2, worker-1, front-end. */
  name: string;
  kind: ServiceKind;
  command: string;
  args: string[];
  /** Complete environment of the process (nothing else is inherited). */
  env: Record<string, string>;
  cwd: string;
  runAs?: RunAs | undefined;
  logFile: string;
  /** Substring that /proc/<pid>/cmdline must contain for the pid to be ours. */
  cmdMarker: string;
}

export interface PidRecord {
  name: string;
  kind: ServiceKind;
  pid: number;
  /** Process start time in clock ticks since boot (/proc/<pid>/stat field 22). */
  startTime: number;
  startedAt: string;
  spec: ServiceSpec;
}

export interface SpawnedService {
  record: PidRecord;
  child: ChildProcess;
}

interface ProcStat {
  state: string;
  pgrp: number;
  startTime: number;
}

export function readProcStat(pid: number): ProcStat | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  const close = text.lastIndexOf(')');
  if (close < 0) return undefined;
  const rest = text.slice(close + 2).split(' ');
  const state = rest[0];
  const pgrp = Number(rest[2]);
  const startTime = Number(rest[19]);
  if (state === undefined || !Number.isFinite(pgrp) || !Number.isFinite(startTime)) return undefined;
  return { state, pgrp, startTime };
}

export function readCmdline(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
  } catch {
    return '';
  }
}

/** True when `pid` runs (not a zombie) and is the very process the record describes. */
export function isRecordAlive(rec: PidRecord): boolean {
  const st = readProcStat(rec.pid);
  if (!st || st.state === 'Z' || st.startTime !== rec.startTime) return false;
  return readCmdline(rec.pid).includes(rec.spec.cmdMarker);
}

/** Live (non-zombie) processes of the record's process group started no earlier than it. */
export function groupMembers(rec: PidRecord): number[] {
  const out: number[] = [];
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return out;
  }
  for (const e of entries) {
    if (!/^\d+$/.test(e)) continue;
    const pid = Number(e);
    const st = readProcStat(pid);
    if (st && st.pgrp === rec.pid && st.state !== 'Z' && st.startTime >= rec.startTime) out.push(pid);
  }
  return out;
}

function pidFile(pidDir: string, name: string): string {
  return join(pidDir, `${name}.json`);
}

export function writePidRecord(pidDir: string, rec: PidRecord): void {
  mkdirSync(pidDir, { recursive: true, mode: 0o700 });
  const file = pidFile(pidDir, rec.name);
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(rec, null, 2) + '\n', { mode: 0o600 });
  renameSync(tmp, file);
}

export function readPidRecord(pidDir: string, name: string): PidRecord | undefined {
  try {
    return JSON.parse(readFileSync(pidFile(pidDir, name), 'utf8')) as PidRecord;
  } catch {
    return undefined;
  }
}

export function readAllPidRecords(pidDir: string): PidRecord[] {
  if (!existsSync(pidDir)) return [];
  return readdirSync(pidDir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => readPidRecord(pidDir, f.slice(0, -5)))
    .filter((r): r is PidRecord => r !== undefined);
}

export function removePidRecord(pidDir: string, name: string): void {
  rmSync(pidFile(pidDir, name), { force: true });
}

/**
 * Spawns a service in its own process group with stdout/stderr appended to
 * its log file, and writes its pid record. The child is unref'd: it never
 * keeps the caller's event loop alive, and it survives the caller's exit.
 */
export async function spawnService(spec: ServiceSpec, pidDir: string): Promise<SpawnedService> {
  mkdirSync(dirname(spec.logFile), { recursive: true });
  const fd = openSync(spec.logFile, 'a', 0o640);
  let child: ChildProcess;
  try {
    writeSync(fd, `\n${RUN_HEADER}${new Date().toISOString()} starting ${spec.name}: ${spec.command} ${spec.args.join(' ')}\n`);
    child = spawn(spec.command, spec.args, {
      cwd: spec.cwd,
      env: spec.env,
      detached: true,
      stdio: ['ignore', fd, fd],
      ...(spec.runAs ? { uid: spec.runAs.uid, gid: spec.runAs.gid } : {}),
    });
  } finally {
    closeSync(fd);
  }
  await new Promise<void>((resolvePromise, reject) => {
    child.once('spawn', () => resolvePromise());
    child.once('error', (err) => reject(new Error(`cannot start ${spec.name} (${spec.command}): ${err.message}`)));
  });
  child.unref();
  const pid = child.pid;
  if (pid === undefined) throw new Error(`cannot start ${spec.name}: no pid`);
  let st = readProcStat(pid);
  // /proc entry is there as soon as spawn() returned; retry briefly just in case
  for (let i = 0; !st && i < 10; i++) {
    await sleep(20);
    st = readProcStat(pid);
  }
  if (!st) throw new Error(`${spec.name} (pid ${pid}) exited immediately; see ${spec.logFile}`);
  const record: PidRecord = {
    name: spec.name,
    kind: spec.kind,
    pid,
    startTime: st.startTime,
    startedAt: new Date().toISOString(),
    spec,
  };
  writePidRecord(pidDir, record);
  return { record, child };
}

/** Starts a service again from the spec kept in its pid record. */
export async function restartFromRecord(pidDir: string, name: string): Promise<SpawnedService> {
  const rec = readPidRecord(pidDir, name);
  if (!rec) throw new Error(`no pid record for ${name} in ${pidDir}`);
  if (isRecordAlive(rec)) throw new Error(`${name} is still running (pid ${rec.pid})`);
  return spawnService(rec.spec, pidDir);
}

function signalPids(pids: number[], signal: NodeJS.Signals): void {
  for (const pid of pids) {
    try {
      process.kill(pid, signal);
    } catch {
      /* already gone */
    }
  }
}

/**
 * Sends `signal` to the record's process group, verified against the record:
 * to the whole group at once (kill(-pgid), so that a child forked meanwhile
 * is not missed) while the leader is the recorded process; to each remaining
 * member of the group (started no earlier than the leader) once it is gone.
 * Returns the members that were signalled.
 */
export function signalService(rec: PidRecord, signal: NodeJS.Signals): number[] {
  const members = groupMembers(rec);
  if (members.length === 0) return members;
  if (isRecordAlive(rec)) {
    try {
      process.kill(-rec.pid, signal);
    } catch {
      signalPids(members, signal);
    }
    return members;
  }
  // The leader pid now belongs to another process: leave that one alone.
  if (members.includes(rec.pid)) return [];
  signalPids(members, signal);
  return members;
}

/**
 * Stops a service: `signal` (SIGTERM) to its process group, then SIGKILL for
 * whatever is left after `timeoutMs`. Resolves once no process of the group is left.
 */
export async function stopService(
  rec: PidRecord,
  opts: { timeoutMs: number; signal?: NodeJS.Signals } = { timeoutMs: 20_000 },
): Promise<'stopped' | 'killed' | 'not-running'> {
  const first = signalService(rec, opts.signal ?? 'SIGTERM');
  if (first.length === 0) return 'not-running';
  const deadline = Date.now() + opts.timeoutMs;
  while (Date.now() < deadline) {
    await sleep(200);
    if (groupMembers(rec).length === 0) return 'stopped';
  }
  signalService(rec, 'SIGKILL');
  for (let i = 0; i < 50 && groupMembers(rec).length > 0; i++) await sleep(100);
  return 'killed';
}
