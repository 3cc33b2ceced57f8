/**
 * Running commands for `npm run test:compose`, and its output.
 */
import { spawn } from 'node:child_process';
import { appendFileSync } from 'node:fs';
import { setTimeout as sleepMs } from 'node:timers/promises';

/**
 * Debian's docker and docker-compose first: a docker CLI elsewhere on PATH
 * (a newer static build in /usr/local/bin, say) may want a buildx plugin
 * that is not there, and docker-compose 1.29 calls `docker` for builds.
 */
const PATH = ['/usr/sbin', '/usr/bin', '/sbin', '/bin', process.env['PATH'] ?? ''].join(':');

/** BuildKit (built into Engine 20.10: no frontend image to pull) for docker and docker-compose. */
export const CHILD_ENV: NodeJS.ProcessEnv = { ...process.env, PATH, DOCKER_BUILDKIT: '1', COMPOSE_DOCKER_CLI_BUILD: '1' };

export function log(message: string): void {
  process.stdout.write(`[compose-test ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}

export const sleep = (ms: number) => sleepMs(ms);

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  env?: Record<string, string>;
  cwd?: string;
  /** Output goes to this file (appended) instead of being kept. */
  logFile?: string;
  /** Do not echo anything; the output is only kept (and shown on failure). */
  quiet?: boolean;
  timeoutMs?: number;
}

export function tryRun(command: string, args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: options.cwd, env: { ...CHILD_ENV, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const keep = (chunk: Buffer, into: 'out' | 'err') => {
      if (options.logFile) appendFileSync(options.logFile, chunk);
      // Keep at most the last 1 MB of each stream: builds print a lot.
      if (into === 'out') stdout = (stdout + chunk.toString()).slice(-1_000_000);
      else stderr = (stderr + chunk.toString()).slice(-1_000_000);
    };
    child.stdout.on('data', (c: Buffer) => keep(c, 'out'));
    child.stderr.on('data', (c: Buffer) => keep(c, 'err'));
    const timer = options.timeoutMs ? setTimeout(() => child.kill('SIGTERM'), options.timeoutMs) : undefined;
    child.on('error', (err) => {
      if (timer) clearTimeout(timer);
      resolve({ code: 127, stdout, stderr: `${stderr}${err.message}` });
    });
    child.on('close', (code) => {
      if (timer) clearTimeout(timer);
      resolve({ code: code ?? 1, stdout, stderr });
    });
  });
}

export function tail(text: string, lines = 40): string {
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}

/** Runs a command and returns its standard output; throws with the output's tail if it fails. */
export async function run(command: string, args: readonly string[], options: RunOptions = {}): Promise<string> {
  const result = await tryRun(command, args, options);
  if (result.code !== 0) {
    const where = options.logFile ? ` (full output: ${options.logFile})` : '';
    throw new Error(`${command} ${args.join(' ')} exited with ${result.code}${where}\n${tail(`${result.stdout}\n${result.stderr}`)}`);
  }
  return result.stdout;
}

/** Polls `check` until it returns a value (not undefined) or the deadline passes. */
export async function waitFor<T>(what: string, timeoutMs: number, check: () => Promise<T | undefined>, everyMs = 2000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError = '';
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (err) {
      lastError = err instanceof Error ? err.message : String(err);
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${Math.round(timeoutMs / 1000)} s waiting for ${what}${lastError ? `: ${lastError}` : ''}`);
    await sleep(everyMs);
  }
}
