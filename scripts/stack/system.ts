/**
 * Small OS helpers shared by the stack modules: service users, directories,
 * free-port checks, polling and HTTP with timeouts.
 */
import { chmodSync, chownSync, closeSync, fstatSync, mkdirSync, openSync, readFileSync, readSync } from 'node:fs';
import { createServer, connect } from 'node:net';

export interface RunAs {
  user: string;
  uid: number;
  gid: number;
}

export function isRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

/** Looks a user up in /etc/passwd. */
export function lookupUser(name: string): RunAs | undefined {
  let passwd: string;
  try {
    passwd = readFileSync('/etc/passwd', 'utf8');
  } catch {
    return undefined;
  }
  for (const line of passwd.split('\n')) {
    const [user, , uid, gid] = line.split(':');
    if (user === name && uid !== undefined && gid !== undefined) {
      return { user: name, uid: Number(uid), gid: Number(gid) };
    }
  }
  return undefined;
}

/**
 * The user a service must run as: when we are root, the system user the
 * Debian package created (postgres, rabbitmq), because PostgreSQL/Patroni
 * refuse to run as root; otherwise undefined (run as ourselves).
 */
export function serviceUser(name: 'postgres' | 'rabbitmq'): RunAs | undefined {
  if (!isRoot()) return undefined;
  const user = lookupUser(name);
  if (!user) throw new Error(`system user "${name}" does not exist: run scripts/bootstrap.sh to install the packages`);
  return user;
}

/** mkdir -p with a mode, owned by `owner` when given (and when we are root). */
export function ensureDir(path: string, mode: number, owner?: RunAs): void {
  mkdirSync(path, { recursive: true, mode });
  chmodSync(path, mode);
  if (owner && isRoot()) chownSync(path, owner.uid, owner.gid);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

export class TimeoutError extends Error {}

/**
 * Polls `check` until it returns a value other than undefined/false, or throws
 * a TimeoutError naming `what` (with the last error/reason seen).
 */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined | false>,
  opts: { timeoutMs: number; intervalMs?: number; abort?: () => string | undefined },
): Promise<T> {
  const deadline = Date.now() + opts.timeoutMs;
  const interval = opts.intervalMs ?? 500;
  let last = '';
  for (;;) {
    const aborted = opts.abort?.();
    if (aborted) throw new Error(`${what}: ${aborted}`);
    try {
      const v = await check();
      if (v !== undefined && v !== false) return v;
    } catch (err) {
      last = (err as Error).message;
    }
    if (Date.now() >= deadline) {
      throw new TimeoutError(`timed out after ${Math.round(opts.timeoutMs / 1000)} s waiting for ${what}${last ? ` (last error: ${last})` : ''}`);
    }
    await sleep(interval);
  }
}

/**
 * Runs `attempt` up to `times` times while `retryable` says its failure is one
 * a fresh start cures, running `beforeRetry` (with the number of the attempt
 * that failed) ahead of each new one. Any other failure, or the last, is thrown.
 */
export async function withRetries<T>(
  times: number,
  attempt: () => Promise<T>,
  retryable: (err: unknown) => boolean,
  beforeRetry: (failed: number) => Promise<void>,
): Promise<T> {
  for (let n = 1; ; n += 1) {
    try {
      return await attempt();
    } catch (err) {
      if (n >= times || !retryable(err)) throw err;
      await beforeRetry(n);
    }
  }
}

/** True when nothing listens on 127.0.0.1:port and we may bind it. */
export function portIsFree(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolvePromise) => {
    const srv = createServer();
    srv.once('error', () => resolvePromise(false));
    srv.listen({ port, host, exclusive: true }, () => {
      srv.close(() => resolvePromise(true));
    });
  });
}

/** True when a TCP connection to host:port succeeds within timeoutMs. */
export function tcpReachable(port: number, host = '127.0.0.1', timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolvePromise) => {
    const sock = connect({ port, host });
    const done = (ok: boolean): void => {
      sock.removeAllListeners();
      sock.destroy();
      resolvePromise(ok);
    };
    sock.setTimeout(timeoutMs, () => done(false));
    sock.once('connect', () => done(true));
    sock.once('error', () => done(false));
  });
}

export interface HttpResult {
  status: number;
  body: string;
}

/** fetch with a timeout; never throws for HTTP status codes. */
export async function httpRequest(
  url: string,
  opts: { method?: string; auth?: { username: string; password: string }; json?: unknown; timeoutMs?: number } = {},
): Promise<HttpResult> {
  const headers: Record<string, string> = {};
  if (opts.auth) {
    headers['authorization'] = 'Basic ' + Buffer.from(`${opts.auth.username}:${opts.auth.password}`).toString('base64');
  }
  let body: string | undefined;
  if (opts.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(opts.json);
  }
  const res = await fetch(url, {
    method: opts.method ?? 'GET',
    headers,
    ...(body !== undefined ? { body } : {}),
    signal: AbortSignal.timeout(opts.timeoutMs ?? 3000),
  });
  return { status: res.status, body: await res.text() };
}

// eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters -- T is the shape the caller expects of the body (and checks); unknown would move the cast into every caller
export async function httpJson<T>(url: string, opts: Parameters<typeof httpRequest>[1] = {}): Promise<{ status: number; data: T | undefined }> {
  const r = await httpRequest(url, opts);
  let data: T | undefined;
  try {
    data = r.body ? (JSON.parse(r.body) as T) : undefined;
  } catch {
    data = undefined;
  }
  return { status: r.status, data };
}

/** Start of the line proc.ts writes to a log file before each start of a process. */
export const RUN_HEADER = '===== ';

/**
 * Last `lines` lines of a log file ('' when it does not exist), from the
 * latest start of its process on; reads at most the last 64 KiB.
 */
export function tailFile(file: string, lines = 30): string {
  let fd: number | undefined;
  try {
    fd = openSync(file, 'r');
    const size = fstatSync(fd).size;
    const len = Math.min(size, 64 * 1024);
    const buf = Buffer.alloc(len);
    readSync(fd, buf, 0, len, size - len);
    const all = buf.toString('utf8').split('\n');
    if (len < size) all.shift(); // partial first line
    if (all.length && all[all.length - 1] === '') all.pop();
    // Logs are appended run after run: show only the latest run's lines.
    const from = Math.max(0, all.findLastIndex((l) => l.startsWith(RUN_HEADER)));
    return all.slice(Math.max(from, all.length - lines)).join('\n');
  } catch {
    return '';
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
