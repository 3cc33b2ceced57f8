/**
 * Local stack command line:
 *
 *   node --import tsx scripts/stack/cli.ts run        start everything in the foreground; Ctrl-C stops it
 *   node --import tsx scripts/stack/cli.ts up         start everything detached, return once it is ready
 *   node --import tsx scripts/stack/cli.ts infra-up   start etcd, PostgreSQL and RabbitMQ only, detached
 *   node --import tsx scripts/stack/cli.ts down       stop everything `up`/`run` started
 *   node --import tsx scripts/stack/cli.ts status [--json]
 *
 * Environment: STACK_PORT_BASE (21000), STACK_DATA_DIR (<repo>/.stack),
 * PORT (3000), WORKERS (2), LOG_LEVEL (info, for the app processes).
 */
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  currentPostgresRoles,
  liveRecords,
  startInfra,
  stopStack,
  StackRunningError,
  type InfraInfo,
  type PostgresNodeInfo,
} from './infra.js';
import { defaultDataDir, stackPaths, type StackPaths } from './paths.js';
import { frontEndPortFromEnv, portBaseFromEnv, workerCountFromEnv } from './ports.js';
import { exitReason, startApp } from './processes.js';
import { isRecordAlive, readAllPidRecords, readCmdline, readProcStat, type PidRecord } from './proc.js';
import { portIsFree, sleep, tailFile } from './system.js';

type Mode = 'run' | 'up' | 'infra';

interface StackState {
  version: 1;
  mode: Mode;
  startedAt: string;
  cliPid: number;
  frontEndUrl: string | null;
  infra: InfraInfo;
}

class UsageError extends Error {}

function out(line = ''): void {
  process.stdout.write(line + '\n');
}

function progress(started: number): (line: string) => void {
  return (line) => out(`[stack ${((Date.now() - started) / 1000).toFixed(1).padStart(5)}s] ${line}`);
}

function readState(paths: StackPaths): StackState | undefined {
  try {
    return JSON.parse(readFileSync(paths.stateFile, 'utf8')) as StackState;
  } catch {
    return undefined;
  }
}

function writeState(paths: StackPaths, state: StackState): void {
  const tmp = `${paths.stateFile}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(state, null, 2) + '\n', { mode: 0o600 });
  renameSync(tmp, paths.stateFile);
}

function printSummary(state: StackState, paths: StackPaths): void {
  out('');
  if (state.frontEndUrl) out(`Barback is running: ${state.frontEndUrl}`);
  else out('Infrastructure is running (no front end / workers).');
  out(`  postgres  ${state.infra.postgres.map((p) => `${p.name} 127.0.0.1:${p.port} (${p.role})`).join(', ')}`);
  out(`  rabbitmq  ${state.infra.rabbitmq.map((r) => `127.0.0.1:${r.port}`).join(', ')}  management http://127.0.0.1:${state.infra.rabbitmq[0]?.managementPort ?? '?'}/ (user ${state.infra.rabbitmqCredentials.username}, password in ${paths.secretsFile})`);
  out(`  logs      ${paths.logDir}/`);
  out(`  data      ${paths.dataDir}/`);
}

async function ensureFrontEndPortFree(port: number): Promise<void> {
  if (!(await portIsFree(port))) {
    throw new Error(`port ${port} on 127.0.0.1 is already in use; set PORT to another port`);
  }
}

async function start(mode: Mode, paths: StackPaths): Promise<StackState> {
  const started = Date.now();
  const log = progress(started);
  const base = portBaseFromEnv();
  const port = frontEndPortFromEnv();
  const workers = workerCountFromEnv();
  const logLevel = process.env['LOG_LEVEL'] || 'info';
  if (mode !== 'infra') await ensureFrontEndPortFree(port);
  const infra = await startInfra({ base, dataDir: paths.dataDir, log });
  const state: StackState = {
    version: 1,
    mode,
    startedAt: new Date().toISOString(),
    cliPid: process.pid,
    frontEndUrl: null,
    infra: infra.info(),
  };
  writeState(paths, state);
  if (mode === 'infra') return state;
  try {
    const app = await startApp({ info: state.infra, paths, workers, port, logLevel, log });
    state.frontEndUrl = app.frontEndUrl;
    writeState(paths, state);
    log(`front end ready at ${app.frontEndUrl} (${workers} worker${workers === 1 ? '' : 's'})`);
    return state;
  } catch (err) {
    let msg = (err as Error).message;
    if (!msg.includes('last lines of')) {
      // Timed out with the processes still alive: show what they said.
      for (const name of ['front-end', 'worker-1']) {
        const file = join(paths.logDir, `${name}.log`);
        const tail = tailFile(file, 15);
        if (tail) msg += `\n--- last lines of ${file}:\n${tail}`;
      }
    }
    log('the application did not become ready; stopping everything');
    await stopStack(paths, { log });
    rmSync(paths.stateFile, { force: true });
    throw new Error(msg);
  }
}

async function alreadyRunning(paths: StackPaths): Promise<boolean> {
  const live = liveRecords(paths);
  if (!live.length) return false;
  out(`The stack is already running (${paths.dataDir}); use "down" to stop it.`);
  await status(paths, false);
  return true;
}

async function cmdUp(mode: 'up' | 'infra'): Promise<number> {
  const paths = stackPaths(defaultDataDir());
  if (await alreadyRunning(paths)) return 0;
  const interrupted = (sig: NodeJS.Signals): void => {
    process.stderr.write(`\n${sig}: start interrupted; processes already started keep running: stop them with "npm run stack:down"\n`);
    process.exit(130);
  };
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);
  const state = await start(mode, paths);
  printSummary(state, paths);
  out('Stop it with: npm run stack:down');
  return 0;
}

async function cmdRun(): Promise<number> {
  const paths = stackPaths(defaultDataDir());
  if (liveRecords(paths).length) {
    throw new StackRunningError(`the stack is already running on ${paths.dataDir}; stop it with "npm run stack:down" first`);
  }
  // Set by the signal handler while this function awaits: read through a
  // call, so that TypeScript does not narrow it to its initial false.
  let stopping = false;
  const stopRequested = (): boolean => stopping;
  let wake: () => void = () => {};
  const onSignal = (sig: NodeJS.Signals): void => {
    if (stopping) {
      out(`(${sig} again: still stopping, please wait)`);
      return;
    }
    stopping = true;
    out(`\n${sig} received: stopping the stack`);
    wake();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.on('SIGHUP', onSignal);

  let state: StackState;
  try {
    state = await start('run', paths);
  } catch (err) {
    if (stopRequested()) return 0;
    throw err;
  }
  if (!stopRequested()) {
    printSummary(state, paths);
    out('Press Ctrl-C to stop.');
    const reported = new Set<string>();
    while (!stopRequested()) {
      await new Promise<void>((r) => {
        wake = r;
        setTimeout(r, 5000);
      });
      for (const rec of readAllPidRecords(paths.pidDir)) {
        if (reported.has(rec.name)) continue;
        const why = exitReason(rec);
        if (why) {
          reported.add(rec.name);
          out(`warning: ${why.split('\n')[0] ?? rec.name} (log: ${rec.spec.logFile})`);
        }
      }
    }
  }
  await stopStack(paths, { log: progress(Date.now()) });
  rmSync(paths.stateFile, { force: true });
  out('stopped');
  return 0;
}

async function cmdDown(): Promise<number> {
  const paths = stackPaths(defaultDataDir());
  const state = readState(paths);
  if (state && state.mode === 'run' && state.cliPid !== process.pid && isStackCli(state.cliPid)) {
    // A foreground `run` owns the stack: ask it to stop (it stops everything in order and exits).
    out(`asking the foreground "run" (pid ${state.cliPid}) to stop the stack`);
    process.kill(state.cliPid, 'SIGTERM');
    const until = Date.now() + 120_000;
    while (isStackCli(state.cliPid) && Date.now() < until) await sleep(250);
    if (!readAllPidRecords(paths.pidDir).length) {
      out('stopped');
      return 0;
    }
  }
  const records = readAllPidRecords(paths.pidDir);
  if (!records.length) {
    rmSync(paths.stateFile, { force: true });
    out('The stack is not running.');
    return 0;
  }
  const started = Date.now();
  await stopStack(paths, { log: progress(started) });
  rmSync(paths.stateFile, { force: true });
  out(`stopped in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return 0;
}

/** True when `pid` is a running scripts/stack/cli.ts process. */
function isStackCli(pid: number): boolean {
  const st = readProcStat(pid);
  return st !== undefined && st.state !== 'Z' && readCmdline(pid).includes('scripts/stack/cli.ts');
}

interface StatusJson {
  frontEndUrl: string | null;
  postgres: { name: string; url: string; role: PostgresNodeInfo['role'] }[];
  rabbitmq: { node: string; url: string; managementUrl: string }[];
  workers: { pid: number }[];
}

async function status(paths: StackPaths, json: boolean): Promise<number> {
  const state = readState(paths);
  const records = readAllPidRecords(paths.pidDir);
  const alive = (r: PidRecord): boolean => isRecordAlive(r);
  if (!state || !records.some(alive)) {
    if (json) process.stderr.write('the stack is not running\n');
    else out(`The stack is not running (${paths.dataDir}).`);
    return 1;
  }
  const postgres = await currentPostgresRoles(state.infra);
  const byName = new Map(records.map((r) => [r.name, r]));
  const workers = records.filter((r) => r.kind === 'worker' && alive(r)).sort((a, b) => a.name.localeCompare(b.name, 'en', { numeric: true }));
  const frontEnd = byName.get('front-end');
  const frontEndUrl = frontEnd && alive(frontEnd) ? state.frontEndUrl : null;
  if (json) {
    const body: StatusJson = {
      frontEndUrl,
      postgres: postgres.map((p) => ({ name: p.name, url: p.url, role: p.role })),
      rabbitmq: state.infra.rabbitmq.map((r) => ({ node: r.node, url: r.url, managementUrl: r.managementUrl })),
      workers: workers.map((w) => ({ pid: w.pid })),
    };
    out(JSON.stringify(body, null, 2));
    return 0;
  }
  const proc = (name: string): string => {
    const r = byName.get(name);
    if (!r) return 'not started';
    return alive(r) ? `running, pid ${r.pid}` : 'NOT RUNNING';
  };
  const header = ['component', 'address', 'role', 'process'];
  const rows: string[][] = [header];
  rows.push(['front end', frontEndUrl ?? state.frontEndUrl ?? '-', '', proc('front-end')]);
  for (const w of records.filter((r) => r.kind === 'worker')) rows.push([w.name, '', '', proc(w.name)]);
  rows.push(['etcd', state.infra.etcdUrl, '', proc('etcd')]);
  for (const p of postgres) rows.push([`postgres ${p.name}`, `127.0.0.1:${p.port} (rest ${p.restPort})`, p.role, proc(p.name)]);
  for (const r of state.infra.rabbitmq) {
    rows.push([`rabbitmq ${r.name}`, `127.0.0.1:${r.port} (mgmt ${r.managementPort})`, r.node, proc(r.name)]);
  }
  const widths = header.map((_, i) => Math.max(...rows.map((row) => (row[i] ?? '').length)));
  out(`Barback stack: port base ${state.infra.base}, ${state.mode} since ${state.startedAt}`);
  for (const row of rows) out(row.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ').trimEnd());
  out(`logs: ${paths.logDir}/   credentials: ${paths.secretsFile}`);
  return 0;
}

const USAGE = 'usage: cli.ts run | up | infra-up | down | status [--json]';

async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  switch (cmd) {
    case 'run':
      return cmdRun();
    case 'up':
      return cmdUp('up');
    case 'infra-up':
      return cmdUp('infra');
    case 'down':
      return cmdDown();
    case 'status':
      return status(stackPaths(defaultDataDir()), rest.includes('--json'));
    case undefined:
    case '-h':
    case '--help':
      out(USAGE);
      return cmd === undefined ? 2 : 0;
    default:
      throw new UsageError(`unknown command "${cmd}"\n${USAGE}`);
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    // Children are detached and unref'd; nothing else should keep us alive.
    process.exitCode = code;
    setTimeout(() => process.exit(code), 100).unref();
  },
  async (err: unknown) => {
    const msg = err instanceof Error ? err.message : String(err);
    process.stderr.write(`error: ${msg}\n`);
    if (!(err instanceof UsageError) && existsSync(defaultDataDir())) {
      process.stderr.write(`logs: ${stackPaths(defaultDataDir()).logDir}/\n`);
    }
    await sleep(10);
    process.exit(err instanceof UsageError ? 2 : 1);
  },
);
