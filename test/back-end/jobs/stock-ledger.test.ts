/**
 * The stock ledger (issue 17, migration 0015): every move the fold takes out
 * of stock_moves lands in stock_ledger with its cause, reference, who and
 * when, and the balance it leaves; for every product the ledger adds up to
 * stock_levels. A delivery that brings stock back to par emits
 * stock.backToPar from the fold (0013) like any other move.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { eventsOfType } from '../../helpers/events.js';
import { stoutBar, type StoutBar } from '../../helpers/venue.js';

const FOLD_LOCK_KEY = 6153845011;
let bar: StoutBar;
let pool: pg.Pool;

beforeAll(async () => {
  bar = await stoutBar('stock-ledger');
  pool = await bar.rig.primary();
});
afterAll(async () => {
  await bar?.rig.close();
});

/** Until the venue's moves are all folded and no fold is still committing. */
async function folded(): Promise<void> {
  bar.rig.workers[0]!.stockFolder.soon();
  const deadline = Date.now() + 10_000;
  for (;;) {
    const { rows } = await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM stock_moves WHERE venue_id = $1', [bar.venue.venueId]);
    if (rows[0]!.n === 0) break;
    if (Date.now() > deadline) throw new Error('moves still unfolded');
    await sleep(50);
  }
  await pool.query('SELECT pg_advisory_lock($1), pg_advisory_unlock($1)', [FOLD_LOCK_KEY]);
}

interface LedgerRow {
  cause: string;
  units: number;
  balance: number;
  ref_id: string | null;
  staff_id: string | null;
  at: Date;
}

async function ledger(productId: string): Promise<LedgerRow[]> {
  const { rows } = await pool.query<LedgerRow>(
    `SELECT cause, units::float8 AS units, balance_units::float8 AS balance, ref_id, staff_id, at
       FROM stock_ledger WHERE venue_id = $1 AND product_id = $2 ORDER BY id`,
    [bar.venue.venueId, productId],
  );
  return rows;
}

describe('stock_ledger', () => {
  it('keeps every move with its cause, reference, who and the running balance; sums to stock_levels', async () => {
    const m = bar.venue.manager;
    const supplier = await m.call('suppliers.createSupplier', { name: 'Ledger Supplies' });
    // Stock 0 → +2 kegs delivered.
    const delivery = await m.call('deliveries.recordDelivery', {
      supplierId: supplier.id,
      invoiceNumber: 'L-1',
      invoiceDate: '2026-03-10',
      lines: [{ productId: bar.stout.id, quantity: 2, unitCostCents: 15_000 }],
    });
    await folded();
    // Two pints sold (−0.02272), one pint rung on a tab then voided (−0.01136, +0.01136).
    const sale = await bar.bartender.call('sales.recordSale', {
      lines: [{ servingId: bar.pintId, quantity: 2 }],
      payments: [{ method: 'card', amountCents: 1120 }],
    });
    let tab = await bar.bartender.call('till.openTab', { name: 'Ledger tab' });
    tab = await bar.bartender.call('till.addTabLine', { tabId: tab.id, servingId: bar.pintId, quantity: 1 });
    await m.call('till.voidTabLine', { tabId: tab.id, lineId: tab.lines[0]!.id, reason: 'Rang in error' });
    // A spill (−0.01136) and a credit note for half a keg of ullage (−0.5).
    const spill = await bar.bartender.call('wastage.recordWastage', { productId: bar.stout.id, reason: 'spillage', servingId: bar.pintId });
    const credit = await m.call('deliveries.recordDelivery', {
      supplierId: supplier.id,
      invoiceNumber: 'CN-1',
      invoiceDate: '2026-03-11',
      kind: 'creditNote',
      lines: [{ productId: bar.stout.id, quantity: 0.5, unitCostCents: 15_000 }],
    });
    await folded();

    const rows = await ledger(bar.stout.id);
    expect(rows.map((r) => [r.cause, r.units])).toEqual([
      ['delivery', 2],
      ['sale', -0.02272],
      ['sale', -0.01136],
      ['void', 0.01136],
      ['wastage', -0.01136],
      ['credit_note', -0.5],
    ]);
    // Balances by hand: 2, 1.97728, 1.96592, 1.97728, 1.96592, 1.46592.
    expect(rows.map((r) => r.balance)).toEqual([2, 1.97728, 1.96592, 1.97728, 1.96592, 1.46592]);
    expect(rows.map((r) => r.ref_id)).toEqual([delivery.id, null, null, null, spill.id, credit.id]);
    expect(rows.map((r) => r.staff_id)).toEqual([m.staffId, null, null, null, bar.bartender.staffId, m.staffId]);
    // A sale's move is stamped with its transaction's start: the sale's closedAt.
    expect(rows[1]!.at.toISOString()).toBe(sale.closedAt);

    const { rows: sums } = await pool.query<{ ledger: string; level: string }>(
      `SELECT (SELECT sum(units) FROM stock_ledger WHERE venue_id = $1 AND product_id = $2)::text AS ledger,
              (SELECT stock_units FROM stock_levels WHERE venue_id = $1 AND product_id = $2)::text AS level`,
      [bar.venue.venueId, bar.stout.id],
    );
    expect(Number(sums[0]!.ledger)).toBe(1.46592);
    expect(sums[0]!.level).toBe(sums[0]!.ledger);
  });

  it('is append-only', async () => {
    await expect(pool.query('DELETE FROM stock_ledger WHERE venue_id = $1', [bar.venue.venueId])).rejects.toThrow(/append-only/);
    await expect(pool.query('UPDATE stock_ledger SET units = 0 WHERE venue_id = $1', [bar.venue.venueId])).rejects.toThrow(/append-only/);
  });

  it('a change of par leaves no ledger row; a delivery back above par emits stock.backToPar from the fold', async () => {
    const m = bar.venue.manager;
    // On hand 1.46592, par 2 → below par (the par change's zero move goes through the fold).
    await m.call('catalogue.updateProduct', { id: bar.stout.id, parUnits: 2 });
    const before = (await ledger(bar.stout.id)).length;
    const supplier = (await m.call('suppliers.listSuppliers', {})).items[0]!;
    await m.call('deliveries.recordDelivery', {
      supplierId: supplier.id,
      invoiceNumber: 'L-2',
      invoiceDate: '2026-03-12',
      lines: [{ productId: bar.stout.id, quantity: 1, unitCostCents: 15_000 }],
    });
    await folded();
    expect((await ledger(bar.stout.id)).length).toBe(before + 1);
    const deadline = Date.now() + 5000;
    let back = await eventsOfType(pool, bar.venue.venueId, 'stock.backToPar');
    while (!back.some((e) => (e.data as { stockUnits: number }).stockUnits === 2.46592) && Date.now() < deadline) {
      await sleep(50);
      back = await eventsOfType(pool, bar.venue.venueId, 'stock.backToPar');
    }
    expect(back.at(-1)?.data).toEqual({ productId: bar.stout.id, name: bar.stout.name, stockUnits: 2.46592, parUnits: 2 });
  });
});
