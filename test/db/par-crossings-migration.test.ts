/**
 * Migration 0013 (par crossings) sets every existing product's below_par from
 * its stock on hand without emitting anything (no storm of alerts for
 * products that were already low), and its Down restores 0006's fold. Run on
 * a scratch schema, migrated up to the migration before it.
 */
import { readdirSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { pino } from 'pino';
import { MIGRATIONS_DIR, migrate } from '@barback/db';
import { primaryUrl } from '../helpers/postgres.js';

const MIGRATION = '0013_par_crossings';

describe('migration 0013: par crossings', () => {
  it('initialises below_par from stock on hand, emits nothing, and rolls back to 0006’s fold', async () => {
    const client = new pg.Client({ connectionString: await primaryUrl() });
    await client.connect();
    const schema = `par_crossings_${Date.now()}`;
    const logger = pino({ level: 'silent' });
    const before = readdirSync(MIGRATIONS_DIR).filter((f) => f.endsWith('.sql')).map((f) => f.replace(/\.sql$/, '')).sort().indexOf(MIGRATION);
    try {
      await migrate(client, logger, { schema, count: before });
      await client.query(`SET search_path TO ${schema}`);
      const venue = (await client.query<{ id: string }>("INSERT INTO venues (name) VALUES ('Migration bar') RETURNING id")).rows[0]!.id;
      const product = async (name: string, par: number, stock: number, archived = false) => {
        const { rows } = await client.query<{ id: string }>(
          `INSERT INTO products (venue_id, name, category, vat_class, unit_cost_cents, par_units, archived_at)
           VALUES ($1, $2, 'bottle', 'standard', 100, $3, $4) RETURNING id`,
          [venue, name, par, archived ? new Date() : null],
        );
        await client.query('UPDATE stock_levels SET stock_units = $2 WHERE product_id = $1', [rows[0]!.id, stock]);
        return rows[0]!.id;
      };
      const stocked = await product('stocked', 2, 5);
      const atPar = await product('at par', 2, 2);
      const low = await product('low', 2, 1);
      const lowByMoves = await product('low by moves', 2, 5);
      await client.query('INSERT INTO stock_moves (venue_id, product_id, units) VALUES ($1, $2, -4)', [venue, lowByMoves]);
      const noPar = await product('no par', 0, -1);
      const archived = await product('archived', 2, 0, true);

      expect(await migrate(client, logger, { schema, count: 1 })).toEqual([MIGRATION]);
      await client.query(`SET search_path TO ${schema}`);
      const { rows } = await client.query<{ product_id: string; below_par: boolean }>('SELECT product_id, below_par FROM stock_levels');
      const state = Object.fromEntries(rows.map((r) => [r.product_id, r.below_par]));
      expect(state).toEqual({ [stocked]: false, [atPar]: false, [low]: true, [lowByMoves]: true, [noPar]: false, [archived]: false });
      expect((await client.query('SELECT count(*)::int AS n FROM outbox')).rows[0].n).toBe(0);

      // The first fold after it checks only what moved, and finds it already low.
      expect((await client.query('SELECT fold_stock_moves() AS n')).rows[0].n).toBe(1);
      expect((await client.query('SELECT count(*)::int AS n FROM outbox')).rows[0].n).toBe(0);

      expect(await migrate(client, logger, { schema, direction: 'down', count: 1 })).toEqual([MIGRATION]);
      await client.query(`SET search_path TO ${schema}`);
      const functions = await client.query<{ proname: string }>(
        "SELECT proname FROM pg_proc WHERE pronamespace = $1::regnamespace AND proname IN ('check_par', 'check_par_pairs', 'par_changed') ",
        [schema],
      );
      expect(functions.rows).toEqual([]);
      await client.query('UPDATE products SET par_units = 9 WHERE id = $1', [stocked]);
      expect((await client.query('SELECT count(*)::int AS n FROM stock_moves')).rows[0].n).toBe(0);
    } finally {
      await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => undefined);
      await client.end();
    }
  });
});
