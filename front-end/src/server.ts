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
  const fastify = await buildServer(config);

  let closing = false;
  const close = (signal: string) => {
    if (closing) return;
    closing = true;
    fastify.log.info({ signal }, 'closing');
    fastify.close().then(
      () => process.exit(0),
      (err) => {
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
