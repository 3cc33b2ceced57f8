/**
 * A real worker (broker + database) inside the test process, without loading
 * the front end: the RPC-level tests use it through venue.ts's startRig, the
 * HTTP-level ones beside app.ts's startFrontEnd.
 */
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { pino } from 'pino';
import { createWorker, loadConfig, type Worker } from '@barback/back-end';
import { loadServices, workerEnv } from './services.js';

let workersStarted = 0;

/**
 * A started worker with the test services' environment plus `env`. It logs to
 * jest-worker.log beside the services' logs, so test output stays readable;
 * its WORKER_ID starts `test-worker-` and is unique across jest processes.
 */
export async function startWorker(env: Record<string, string> = {}): Promise<Worker> {
  workersStarted += 1;
  const services = loadServices();
  const logger = pino({ level: 'info', base: { service: 'jest-worker' } }, createWriteStream(join(services.logDir, 'jest-worker.log'), { flags: 'a' }));
  const config = loadConfig({ ...workerEnv(), WORKER_ID: `test-worker-${process.pid}-${workersStarted}`, ...env });
  const worker = createWorker(config, logger);
  await worker.start();
  return worker;
}
