/**
 * Sales append their stock draws to stock_moves and the workers fold them
 * into stock_levels (migration 0006): a sale must never wait on a stock row,
 * stock on hand must be exact whether its moves are folded or not, and every
 * move must be counted once however many folds run at once.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createProduct, createVenue, serving, startRig, stockUnits, type Product, type Rig, type Venue } from '../../helpers/venue.js';

let rig: Rig;
let venue: Venue;

beforeAll(async () => {
  rig = await startRig(2);
  venue = await createVenue(rig, 'stock-moves');
});
afterAll(async () => {
  await rig?.close();
});

const PINT = 568 / 50_000;

function sellPints(product: Product, pints: number) {
  return venue.manager.call('sales.recordSale', {
    lines: [{ servingId: serving(product, 'Pint').id, quantity: pints }],
    payments: [{ method: 'card', amountCents: 560 * pints }],
  });
}

async function pendingMoves(productId: string): Promise<number> {
  const { rows } = await (await rig.primary()).query<{ n: number }>('SELECT count(*)::int AS n FROM stock_moves WHERE product_id = $1', [productId]);
  return rows[0]!.n;
}

async function foldedStock(productId: string): Promise<number> {
  const { rows } = await (await rig.primary()).query<{ units: string }>('SELECT stock_units AS units FROM stock_levels WHERE product_id = $1', [productId]);
  return Number(rows[0]!.units);
}

/** fold_stock_moves()'s advisory lock (migration 0006). */
const FOLD_LOCK_KEY = 6153845011;

async function foldLockHolders(): Promise<number> {
  const { rows } = await (await rig.primary()).query<{ n: number }>(
    "SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND granted AND ((classid::bigint << 32) | objid::bigint) = $1",
    [FOLD_LOCK_KEY],
  );
  return rows[0]!.n;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('stock moves', () => {
  it('a sale goes through while another transaction holds the product’s stock row', async () => {
    const lager = await createProduct(venue.manager);
    const holder = await (await rig.primary()).connect();
    try {
      await holder.query('BEGIN');
      await holder.query('SELECT 1 FROM stock_levels WHERE product_id = $1 FOR UPDATE', [lager.id]);
      // Before 0006 the sale updated that row, and waited here until the rig's 20 s timeout.
      const sale = sellPints(lager, 1);
      const outcome = await Promise.race([sale.then(() => 'recorded'), sleep(5000).then(() => 'still waiting')]);
      expect(outcome).toBe('recorded');
    } finally {
      await holder.query('ROLLBACK').catch(() => undefined);
      holder.release();
    }
    expect(await stockUnits(rig, lager.id)).toBeCloseTo(-PINT, 8);
  });

  it('stock on hand is exact before the fold, and folds running at once count every move once', async () => {
    const stout = await createProduct(venue.manager);
    const pool = await rig.primary();
    // Hold the fold's lock so the workers' own folds skip these sales for now.
    // Waiting for it, not trying: a worker may be folding the previous test's
    // moves right now, and fold_stock_moves() would then skip without the lock.
    const holder = await pool.connect();
    try {
      await holder.query('BEGIN');
      await holder.query('SELECT pg_advisory_xact_lock($1)', [FOLD_LOCK_KEY]);
      expect(await foldLockHolders()).toBe(1);
      await Promise.all(Array.from({ length: 12 }, () => sellPints(stout, 2)));
      expect(await pendingMoves(stout.id)).toBe(12);
      expect(await foldedStock(stout.id)).toBe(0);
      expect(await stockUnits(rig, stout.id)).toBeCloseTo(-24 * PINT, 8);
      expect((await venue.manager.call('catalogue.getProduct', { id: stout.id })).stockUnits).toBeCloseTo(-24 * PINT, 8);
    } finally {
      await holder.query('COMMIT');
      holder.release();
    }

    await Promise.all(Array.from({ length: 4 }, () => pool.query('SELECT fold_stock_moves()')));
    // A worker's own fold may have taken the lock first (all four above then
    // skip): wait until no fold holds it, so every fold under way has committed.
    await pool.query('SELECT pg_advisory_lock($1), pg_advisory_unlock($1)', [FOLD_LOCK_KEY]);
    expect(await pendingMoves(stout.id)).toBe(0);
    expect(await foldedStock(stout.id)).toBeCloseTo(-24 * PINT, 8);
    expect(await stockUnits(rig, stout.id)).toBeCloseTo(-24 * PINT, 8);
  });

  it('the workers fold a sale’s moves by themselves, and a void’s too', async () => {
    const cider = await createProduct(venue.manager);
    const tab = await venue.manager.call('till.openTab', { name: 'Window seat' });
    const withLines = await venue.manager.call('till.addTabLine', { tabId: tab.id, servingId: serving(cider, 'Pint').id, quantity: 3 });
    await sellPints(cider, 1);
    await venue.manager.call('till.voidTabLine', { tabId: tab.id, lineId: withLines.lines[0]!.id, reason: 'Poured the wrong cider' });

    const deadline = Date.now() + 10_000;
    while ((await pendingMoves(cider.id)) > 0 && Date.now() < deadline) await sleep(100);
    expect(await pendingMoves(cider.id)).toBe(0);
    expect(await foldedStock(cider.id)).toBeCloseTo(-PINT, 8);
    expect(await stockUnits(rig, cider.id)).toBeCloseTo(-PINT, 8);
  });
});
