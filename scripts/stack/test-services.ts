/**
 * Test-run services, driven by jest's globalSetup/globalTeardown through a
 * child process (jest loads those hooks as CommonJS, outside its ESM runtime,
 * so they cannot import these ESM TypeScript modules themselves):
 *
 *   node --import tsx scripts/stack/test-services.ts start <base> <dataDir> <servicesFile>
 *   node --import tsx scripts/stack/test-services.ts stop <servicesFile> [<dataDir>]
 *
 * `start` stops a stack left running by an interrupted earlier run (found
 * through the old services file), starts the infrastructure (detached: it
 * outlives this process) and writes the services file (mode 0600).
 * `stop` stops every recorded process of the stack in <dataDir> (default:
 * the one the services file describes) and, unless KEEP_TEST_DATA=1, deletes
 * that data dir, and the services file when it describes that stack.
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { liveRecords, startInfra, stopStack } from './infra.js';
import { stackPaths } from './paths.js';
import { assertValidBase } from './ports.js';
import { readCmdline, readProcStat } from './proc.js';

function say(line: string): void {
  process.stderr.write(`[test services] ${line}\n`);
}

interface ServicesRef {
  dataDir?: string;
  ownerPid?: number;
}

function readRef(servicesFile: string): ServicesRef {
  if (!existsSync(servicesFile)) return {};
  try {
    const raw = JSON.parse(readFileSync(servicesFile, 'utf8')) as { dataDir?: unknown; ownerPid?: unknown };
    return {
      ...(typeof raw.dataDir === 'string' && raw.dataDir !== '' ? { dataDir: raw.dataDir } : {}),
      ...(typeof raw.ownerPid === 'number' ? { ownerPid: raw.ownerPid } : {}),
    };
  } catch {
    return {};
  }
}

function readDataDir(servicesFile: string): string | undefined {
  return readRef(servicesFile).dataDir;
}

/** True when `pid` is a running jest process (the test run that owns a services file). */
function isJestRunning(pid: number | undefined): boolean {
  if (pid === undefined || pid === process.ppid) return false;
  const st = readProcStat(pid);
  return st !== undefined && st.state !== 'Z' && readCmdline(pid).includes('jest');
}

async function start(base: number, dataDir: string, servicesFile: string): Promise<void> {
  assertValidBase(base);
  const old = readRef(servicesFile);
  if (old.dataDir && existsSync(old.dataDir) && liveRecords(stackPaths(old.dataDir)).length) {
    if (isJestRunning(old.ownerPid)) {
      throw new Error(
        `another test run (jest pid ${String(old.ownerPid)}) is using the services in ${old.dataDir}; ` +
          'wait for it to finish, or give this run its own TEST_PORT_BASE and TEST_SERVICES_FILE',
      );
    }
    say(`stopping services left running by an earlier, interrupted test run (${old.dataDir})`);
    await stopStack(stackPaths(old.dataDir));
  }
  const started = Date.now();
  say(`starting etcd, PostgreSQL (Patroni) and RabbitMQ on 127.0.0.1 ports ${base + 1}-${base + 52}; data in ${dataDir}`);
  const handle = await startInfra({ base, dataDir, log: say });
  const startSeconds = Number(((Date.now() - started) / 1000).toFixed(1));
  const info = handle.info();
  const services = {
    version: 1,
    startedAt: new Date().toISOString(),
    startSeconds,
    /** The jest process whose globalSetup started these services. */
    ownerPid: process.ppid,
    ...info,
    secrets: { sessionKey: info.sessionKey },
  };
  writeFileSync(servicesFile, JSON.stringify(services, null, 2) + '\n', { mode: 0o600 });
  say(`ready in ${startSeconds} s; logs in ${info.logDir}`);
}

/** Stops the stack of `dataDir` (default: the one in the services file). */
async function stop(servicesFile: string, only?: string): Promise<void> {
  const described = readDataDir(servicesFile);
  const dataDir = only ?? described;
  if (!dataDir) return;
  // The services file may describe another run's stack: leave it alone then.
  const ownFile = described === dataDir;
  const started = Date.now();
  if (existsSync(dataDir)) await stopStack(stackPaths(dataDir));
  const took = ((Date.now() - started) / 1000).toFixed(1);
  if (process.env['KEEP_TEST_DATA'] === '1') {
    say(`stopped in ${took} s; data and logs kept in ${dataDir} (KEEP_TEST_DATA=1)`);
    return;
  }
  rmSync(dataDir, { recursive: true, force: true });
  if (ownFile) rmSync(servicesFile, { force: true });
  say(`stopped in ${took} s; removed ${dataDir}`);
}

async function main(argv: string[]): Promise<void> {
  const [cmd, ...args] = argv;
  const [first, second, third] = args;
  if (cmd === 'start' && args.length === 3 && first !== undefined && second !== undefined && third !== undefined) {
    return start(Number(first), second, third);
  }
  if (cmd === 'stop' && (args.length === 1 || args.length === 2) && first !== undefined) return stop(first, second);
  throw new Error('usage: test-services.ts start <base> <dataDir> <servicesFile> | stop <servicesFile> [<dataDir>]');
}

main(process.argv.slice(2)).then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`[test services] error: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
