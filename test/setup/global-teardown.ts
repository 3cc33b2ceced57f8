/**
 * jest globalTeardown: stops everything globalSetup started (and every app
 * process the tests recorded through test/helpers/services.ts), then deletes
 * the data dir and test/.services.json unless KEEP_TEST_DATA=1.
 *
 * Self-contained on purpose: jest loads this file as CommonJS, where relative
 * imports of the repo's ESM TypeScript modules do not resolve.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';

export default async function globalTeardown(_globalConfig: unknown, projectConfig?: { rootDir?: string }): Promise<void> {
  const ref = globalThis.__BARBACK_TEST_SERVICES__;
  const rootDir = ref?.rootDir ?? projectConfig?.rootDir ?? process.cwd();
  const servicesFile = ref?.servicesFile ?? (process.env['TEST_SERVICES_FILE'] || join(rootDir, 'test', '.services.json'));
  await new Promise<void>((resolve, reject) => {
    const child = spawn(process.execPath, [
      '--import',
      'tsx',
      join(rootDir, 'scripts', 'stack', 'test-services.ts'),
      'stop',
      servicesFile,
      // only what this run's globalSetup started, even if the file now describes another run
      ...(ref?.dataDir ? [ref.dataDir] : []),
    ], {
      cwd: rootDir,
      stdio: ['ignore', 'inherit', 'inherit'],
      env: process.env,
    });
    child.once('error', reject);
    child.once('exit', (code, signal) =>
      code === 0 ? resolve() : reject(new Error(`scripts/stack/test-services.ts stop failed (${signal ?? `exit code ${String(code)}`})`)),
    );
  });
  globalThis.__BARBACK_TEST_SERVICES__ = undefined;
}
