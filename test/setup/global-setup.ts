/**
 * jest globalSetup: starts the real infrastructure once per test run (etcd,
 * Patroni primary + streaming standby, three-node RabbitMQ cluster) on the
 * ports of base 22000 (TEST_PORT_BASE to change it), with a fresh data dir
 * /tmp/barback-test-<timestamp> (TEST_DATA_DIR to choose it), and describes
 * it in test/.services.json (TEST_SERVICES_FILE to move it) for the tests:
 * see test/helpers/services.ts.
 *
 * jest loads this file as CommonJS outside its ESM runtime, so the work is
 * done by scripts/stack/test-services.ts in a child process; the services it
 * starts are detached and live until globalTeardown stops them.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';

export interface TestServicesRef {
  rootDir: string;
  servicesFile: string;
  dataDir: string;
  base: number;
}

declare global {
  var __BARBACK_TEST_SERVICES__: TestServicesRef | undefined;
}

export function servicesFilePath(rootDir: string): string {
  return process.env['TEST_SERVICES_FILE'] || join(rootDir, 'test', '.services.json');
}

/** Runs scripts/stack/test-services.ts with the given arguments; rejects on a non-zero exit. */
export function runTestServices(rootDir: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(rootDir, 'scripts', 'stack', 'test-services.ts'), ...args], {
      cwd: rootDir,
      stdio: ['ignore', 'inherit', 'inherit'],
      env: process.env,
    });
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      if (code === 0) resolve();
      else reject(new Error(`scripts/stack/test-services.ts ${args[0] ?? ''} failed (${signal ?? `exit code ${String(code)}`}); see the lines above`));
    });
  });
}

export default async function globalSetup(_globalConfig: unknown, projectConfig?: { rootDir?: string }): Promise<void> {
  const rootDir = projectConfig?.rootDir ?? process.cwd();
  const base = Number(process.env['TEST_PORT_BASE'] || 22000);
  const dataDir = process.env['TEST_DATA_DIR'] || `/tmp/barback-test-${Date.now()}`;
  const servicesFile = servicesFilePath(rootDir);
  // Tests (same process with --runInBand, or workers started after this) find the file here too.
  process.env['TEST_SERVICES_FILE'] = servicesFile;
  globalThis.__BARBACK_TEST_SERVICES__ = { rootDir, servicesFile, dataDir, base };
  await runTestServices(rootDir, ['start', String(base), dataDir, servicesFile]);
}
