/**
 * Migration 0020 (VAT day totals): its backfill counts the history already
 * there, its triggers keep the totals right under a bench's bulk SQL seed (a
 * year of sales in a few INSERT ... SELECT statements, tabs closed by UPDATE,
 * refunds, deliveries), always equal to a computation from scratch over the
 * raw rows; and its Down removes it all. Run on a scratch schema, migrated up
 * to the migration before it.
 */
import { readdirSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { pino } from 'pino';
import { MIGRATIONS_DIR, migrate } from '@barback/db';
import { primaryUrl } from '../helpers/postgres.js';
import { vatTotalsMismatches } from '../helpers/vat-totals.js';

const MIGRATION = '0020_vat_day_totals';

describe('migration 0020: VAT day totals', () => {
  it('backfills the history, keeps up with a bulk seed of a year, equals a computation from scratch, and rolls back', async () => {
    const client = new pg.Client({ connectionString: await primaryUrl() });
    await client.connect();
    const schema = `vat_day_totals_${Date.now()}`;
    const logger = pino({ level: 'silent' });
    const before = readdirSync(MIGRATIONS_DIR).filter((f) => f.endsWith('.sql')).map((f) => f.replace(/\.sql$/, '')).sort().indexOf(MIGRATION);
    const mismatches = () => vatTotalsMismatches(client);
    try {
      await migrate(client, logger, { schema, count: before });
      await client.query(`SET search_path TO ${schema}`);
      const one = async <T>(sql: string, values: unknown[] = []) => (await client.query<T & pg.QueryResultRow>(sql, values)).rows[0]!;
      const venue = (await one<{ id: string }>("INSERT INTO venues (name) VALUES ('VAT bar') RETURNING id")).id;
      const staff = (
        await one<{ id: string }>("INSERT INTO staff (venue_id, name, email, password_hash, role) VALUES ($1, 'Owner', $2, 'x', 'manager') RETURNING id", [
          venue,
          `${schema}@example.ie`,
        ])
      ).id;
      const product = async (name: string, vatClass: string) => {
        const p = (await one<{ id: string }>("INSERT INTO products (venue_id, name, category, vat_class, unit_cost_cents) VALUES ($1, $2, 'bottle', $3, 100) RETURNING id", [venue, name, vatClass])).id;
        const s = (await one<{ id: string }>("INSERT INTO servings (product_id, venue_id, name, price_cents) VALUES ($1, $2, 'Bottle', 500) RETURNING id", [p, venue])).id;
        return { p, s };
      };
      const lager = await product('Lager', 'standard');
      const toastie = await product('Toastie', 'reduced');
      const supplier = (await one<{ id: string }>("INSERT INTO suppliers (venue_id, name) VALUES ($1, 'Wholesaler') RETURNING id", [venue])).id;

      // The bulk seed: `n` closed tabs at a steady pace through [start, start + days), each with a lager at 23% and a
      // toastie at the reduced rate of its day, in two statements (tabs, then lines), as a bench would write them.
      const seedSales = async (start: string, days: number, n: number) => {
        await client.query(
          `CREATE TEMP TABLE seeded ON COMMIT DROP AS
             SELECT gen_random_uuid() AS id, $1::timestamptz + (i * ($2::float8 * 86400 / $3)) * interval '1 second' AS at
               FROM generate_series(0, $3 - 1) AS i`,
          [start, days, n],
        );
        await client.query(
          `INSERT INTO tabs (id, venue_id, name, opened_by, opened_at, status, closed_by, closed_at, gross_cents, vat_cents, net_cents)
           SELECT id, $1, 'Seed', $2, at, 'closed', $2, at, 1000, 0, 0 FROM seeded`,
          [venue, staff],
        );
        await client.query(
          `INSERT INTO tab_lines (tab_id, venue_id, serving_id, product_id, description, quantity, unit_price_cents, gross_cents,
                                  vat_class, vat_rate_bp, vat_cents, net_cents, stock_draw_units, added_by, added_at)
           SELECT s.id, $1, x.serving, x.product, 'Seed', 1, 500, 500, x.class, r.rate, round(500.0 * r.rate / (10000 + r.rate)),
                  500 - round(500.0 * r.rate / (10000 + r.rate)), 1, $2, s.at
             FROM seeded s
            CROSS JOIN (VALUES ($3::uuid, $4::uuid, 'standard'), ($5::uuid, $6::uuid, 'reduced')) AS x (serving, product, class)
            CROSS JOIN LATERAL (SELECT vat_rate_bp(x.class, s.at, 'Europe/Dublin') AS rate) r`,
          [venue, staff, lager.s, lager.p, toastie.s, toastie.p],
        );
      };

      // History before the migration: a few weeks of sales, a tab closed by UPDATE (with a voided line), a refund, deliveries.
      await client.query('BEGIN');
      await seedSales('2026-06-20T10:00:00Z', 20, 200);
      await client.query('COMMIT');
      const openTab = (await one<{ id: string }>("INSERT INTO tabs (venue_id, name, opened_by, opened_at) VALUES ($1, 'Open', $2, '2026-06-30T21:00:00Z') RETURNING id", [venue, staff])).id;
      await client.query(
        `INSERT INTO tab_lines (tab_id, venue_id, serving_id, product_id, description, quantity, unit_price_cents, gross_cents, vat_class,
                                stock_draw_units, added_by, voided_at)
         VALUES ($1, $2, $3, $4, 'Lager', 2, 500, 1000, 'standard', 2, $5, NULL), ($1, $2, $3, $4, 'Lager', 1, 500, 500, 'standard', 1, $5, now())`,
        [openTab, venue, lager.s, lager.p, staff],
      );
      const refundOf = async (saleIds: string, at: string) =>
        client.query(
          `INSERT INTO refunds SELECT * FROM jsonb_populate_recordset(NULL::refunds, (
             SELECT jsonb_agg(jsonb_build_object('id', gen_random_uuid(), 'venue_id', t.venue_id, 'sale_id', t.id, 'reason', 'Seed',
                                                 'method', 'card', 'refunded_by', $1::uuid, 'refunded_at', $2::timestamptz,
                                                 'gross_cents', -1000, 'vat_cents', -10, 'net_cents', -990))
               FROM tabs t WHERE t.id IN (${saleIds})))`,
          [staff, at],
        );
      await refundOf(`SELECT id FROM tabs WHERE venue_id = '${venue}' AND status = 'closed' ORDER BY closed_at LIMIT 3`, '2026-07-02T12:00:00Z');
      await client.query(
        `INSERT INTO refund_lines (refund_id, tab_line_id, quantity, gross_cents, vat_cents, net_cents)
         SELECT r.id, l.id, l.quantity, -l.gross_cents, -l.vat_cents, -l.net_cents FROM refunds r JOIN tab_lines l ON l.tab_id = r.sale_id`,
      );
      const deliver = async (number: string, date: string, kind: string, sign: number) => {
        const d = (
          await one<{ id: string }>(
            `INSERT INTO deliveries (venue_id, supplier_id, invoice_number, invoice_date, kind, net_cents, vat_cents, gross_cents, recorded_by)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
            [venue, supplier, number, date, kind, sign * 10_100, sign * 2_336, sign * 12_436, staff],
          )
        ).id;
        await client.query(
          `INSERT INTO delivery_lines (delivery_id, venue_id, position, product_id, quantity, unit_cost_cents, vat_rate_bp, net_cents, vat_cents)
           VALUES ($1, $2, 1, $3, 100, 100, 2300, $4, $5), ($1, $2, 2, $6, 1, 100, 1350, $7, $8)`,
          [d, venue, lager.p, sign * 10_000, sign * 2_300, toastie.p, sign * 100, sign * 14],
        );
      };
      await deliver('H1', '2026-06-25', 'invoice', 1);
      await deliver('H2', '2026-06-28', 'creditNote', -1);

      expect(await migrate(client, logger, { schema, count: 1 })).toEqual([MIGRATION]);
      await client.query(`SET search_path TO ${schema}`);
      const backfilled = await mismatches();
      expect(backfilled).toMatchObject({ extra: 0, missing: 0 });
      // 20 days of sales (some dates twice over two rates), the refund day and the two invoice dates.
      expect(backfilled.keys).toBeGreaterThan(40);

      // After it: the open tab closed by an UPDATE (its voided line left out), then a year of sales in bulk
      // (2026: 13.5% until 30 June, 9% after, for the toasties), refunds of some, deliveries.
      // Closing fixes the rate on the lines charged (1000 at 23%: VAT 187, net 813), then closes the tab: recordTabSale's order.
      await client.query('UPDATE tab_lines SET vat_rate_bp = 2300, vat_cents = 187, net_cents = 813 WHERE tab_id = $1 AND voided_at IS NULL', [openTab]);
      await client.query("UPDATE tabs SET status = 'closed', closed_at = '2026-06-30T23:30:00Z', closed_by = opened_by WHERE id = $1", [openTab]);
      await client.query('BEGIN');
      const started = performance.now();
      await seedSales('2026-01-01T00:00:00Z', 365, 20_000);
      const seedMs = performance.now() - started;
      await client.query('COMMIT');
      await refundOf(`SELECT id FROM tabs WHERE venue_id = '${venue}' AND status = 'closed' AND closed_at >= '2026-09-01' ORDER BY closed_at LIMIT 50`, '2026-09-30T12:00:00Z');
      await client.query(
        `INSERT INTO refund_lines (refund_id, tab_line_id, quantity, gross_cents, vat_cents, net_cents)
         SELECT r.id, l.id, l.quantity, -l.gross_cents, -l.vat_cents, -l.net_cents
           FROM refunds r JOIN tab_lines l ON l.tab_id = r.sale_id
          WHERE NOT EXISTS (SELECT 1 FROM refund_lines x WHERE x.refund_id = r.id)`,
      );
      await deliver('Y1', '2026-07-01', 'invoice', 1);
      await deliver('Y2', '2026-12-31', 'creditNote', -1);
      expect(await mismatches()).toMatchObject({ extra: 0, missing: 0 });
      // The seed wrote 20,000 sales of 2 lines; the totals are one row per day, rate and slot, not one per sale.
      const rows = await one<{ n: number; rates: number[] }>('SELECT count(*)::int AS n, array_agg(DISTINCT vat_rate_bp ORDER BY vat_rate_bp) AS rates FROM vat_day_totals');
      expect(rows.rates).toEqual([900, 1350, 2300]);
      expect(rows.n).toBeLessThan(365 * 3 * 8);
      logger.info({ seedMs }, 'seeded 20,000 sales');

      expect(await migrate(client, logger, { schema, direction: 'down', count: 1 })).toEqual([MIGRATION]);
      await client.query(`SET search_path TO ${schema}`);
      const left = await client.query("SELECT 1 FROM pg_class WHERE relname = 'vat_day_totals' AND relnamespace = $1::regnamespace", [schema]);
      expect(left.rows).toEqual([]);
      // Writes go on without the triggers.
      await client.query("UPDATE tabs SET name = 'Renamed' WHERE id = $1", [openTab]);
    } finally {
      await client.query('ROLLBACK').catch(() => undefined);
      await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => undefined);
      await client.end();
    }
  });
});
