#!/usr/bin/env node
/**
 * `npm run migrate -- up|down [count]`: applies migrations to the primary found
 * among DB_HOSTS, using DB_NAME / DB_USER / DB_PASSWORD.
 */
import { pino } from 'pino';
import { DbCluster, parseHosts } from './cluster.js';
import { migrate } from './migrate.js';

const logger = pino({ name: 'migrate' });

async function main(): Promise<void> {
  const direction = process.argv[2] === 'down' ? 'down' : 'up';
  const count = process.argv[3] ? Number(process.argv[3]) : direction === 'down' ? 1 : undefined;
  const cluster = new DbCluster({
    hosts: parseHosts(process.env.DB_HOSTS ?? '127.0.0.1:5432'),
    database: process.env.DB_NAME ?? 'barback',
    user: process.env.DB_USER ?? 'barback',
    password: process.env.DB_PASSWORD ?? '',
    poolSize: 1,
    logger,
  });
  try {
    const client = await (await cluster.primary()).connect();
    try {
      const names = await migrate(client, logger, { direction, ...(count === undefined ? {} : { count }) });
      logger.info({ count: names.length }, names.length ? 'done' : 'nothing to apply');
    } finally {
      client.release();
    }
  } finally {
    await cluster.close();
  }
}

main().catch((err: unknown) => {
  logger.error({ err: err instanceof Error ? err.message : String(err) }, 'migration failed');
  process.exitCode = 1;
});
