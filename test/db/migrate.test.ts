import { readdirSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { pino } from 'pino';
import { MIGRATIONS_DIR, migrate } from '@barback/db';
import { primaryUrl } from '../helpers/postgres.js';

describe('migrations', () => {
  it('two workers starting together apply each migration once', async () => {
    const url = await primaryUrl();
    const schema = `migrate_race_${Date.now()}`;
    const clients = [new pg.Client({ connectionString: url }), new pg.Client({ connectionString: url })];
    await Promise.all(clients.map((c) => c.connect()));
    try {
      const logger = pino({ level: 'silent' });
      const results = await Promise.all(clients.map((c) => migrate(c, logger, { schema })));
      const files = readdirSync(MIGRATIONS_DIR).filter((f) => f.endsWith('.sql')).map((f) => f.replace(/\.sql$/, ''));
      // One run applied everything; the other waited on the lock and found nothing to do.
      expect(results.map((r) => r.length).sort()).toEqual([0, files.length]);
      const { rows } = await clients[0]!.query(`SELECT name FROM ${schema}.schema_migrations ORDER BY name`);
      expect(rows.map((r) => r.name)).toEqual(files.sort());
      const tables = await clients[0]!.query('SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = $1 AND table_name = $2', [schema, 'tab_lines']);
      expect(tables.rows[0].n).toBe(1);
    } finally {
      await clients[0]!.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => undefined);
      await Promise.all(clients.map((c) => c.end()));
    }
  });

  it('the two newest migrations roll back and apply again, so a bad release can be undone', async () => {
    const client = new pg.Client({ connectionString: await primaryUrl() });
    await client.connect();
    const schema = `migrate_down_${Date.now()}`;
    const logger = pino({ level: 'silent' });
    const newest = readdirSync(MIGRATIONS_DIR).filter((f) => f.endsWith('.sql')).map((f) => f.replace(/\.sql$/, '')).sort().slice(-2);
    try {
      await migrate(client, logger, { schema });
      expect(await migrate(client, logger, { schema, direction: 'down', count: 2 })).toEqual([...newest].reverse());
      expect(await migrate(client, logger, { schema })).toEqual(newest);
    } finally {
      await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => undefined);
      await client.end();
    }
  });
});
