import { pino } from 'pino';
import { loadConfig } from './config.js';
import { createWorker } from './worker.js';

/** Process concerns only: config, logger, signals. The worker itself is in worker.ts. */
async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    process.stderr.write(`Configuration error: ${(err as Error).message}\nSee .env.example for every variable.\n`);
    process.exit(2);
  }
  const logger = pino({ level: config.logLevel, base: { service: 'back-end', workerId: config.workerId } });
  const worker = createWorker(config, logger);

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping: finishing requests in hand');
    worker
      .stop()
      .then(() => process.exit(0))
      .catch((err: unknown) => {
        logger.error({ err }, 'unclean stop');
        process.exit(1);
      });
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('unhandledRejection', (err) => logger.error({ err }, 'unhandled rejection'));

  await worker.start();
}

void main();
