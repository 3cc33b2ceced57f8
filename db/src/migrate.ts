import { fileURLToPath } from 'node:url';
import type { ClientBase } from 'pg';
import { runner } from 'node-pg-migrate';
import type { Logger } from 'pino';

export const MIGRATIONS_DIR = fileURLToPath(new URL('../migrations', import.meta.url));

/**
 * Applies pending migrations on the given primary connection. node-pg-migrate
 * holds a Postgres advisory lock for the run (`wait` mode), so workers starting
 * together queue up and the later ones find nothing left to do.
 */
export interface MigrateOptions {
  direction?: 'up' | 'down';
  count?: number;
  /** A schema other than the default (public), created if missing: lets tests migrate a scratch copy. */
  schema?: string;
}

export async function migrate(client: ClientBase, logger: Logger, options: MigrateOptions = {}): Promise<string[]> {
  const { direction = 'up', count, schema } = options;
  const applied = await runner({
    dbClient: client,
    dir: MIGRATIONS_DIR,
    direction,
    ...(count === undefined ? {} : { count }),
    ...(schema ? { schema, createSchema: true } : {}),
    migrationsTable: 'schema_migrations',
    advisoryLockMode: 'wait',
    checkOrder: true,
    logger: {
      debug: (msg: string) => logger.debug(msg),
      info: (msg: string) => logger.debug(msg),
      warn: (msg: string) => logger.warn(msg),
      error: (msg: string) => logger.error(msg),
    },
  });
  const names = applied.map((m) => m.name);
  if (names.length) logger.info({ migrations: names, direction }, 'migrations applied');
  return names;
}
