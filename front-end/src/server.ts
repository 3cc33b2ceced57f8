import { pino } from 'pino';
import { loadConfig, type FrontEndConfig } from './config.js';
import { buildServer } from './build.js';

/** Process concerns only: config, listen, graceful close on signals. */
async function main(): Promise<void> {
  let config: FrontEndConfig;
  try {
    config = loadConfig();
  } catch (err) {
    process.stderr.write(`Configuration error: ${(err as Error).message}\nSee .env.example for every variable.\n`);
    process.exit(2);
  }
  // The access log's line per request goes out in 4 KB batches instead of one
  // write per request, off the event loop's hot path: at most a second late
  // on a quiet night. pino.destination flushes what is left when the process exits.
  const logStream = pino.destination({ dest: 1, sync: false, minLength: 4096 });
  setInterval(() => logStream.flush(), 1000).unref();
  const fastify = await buildServer(config, { level: config.logLevel, stream: logStream });

  let closing = false;
  const close = (signal: string) => {
    if (closing) return;
    closing = true;
    fastify.log.info({ signal }, 'closing');
    fastify.close().then(
      () => process.exit(0),
      (err: unknown) => {
        fastify.log.error({ err }, 'unclean close');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => close('SIGTERM'));
  process.on('SIGINT', () => close('SIGINT'));

  await fastify.listen({ host: config.host, port: config.port });
}

void main();
