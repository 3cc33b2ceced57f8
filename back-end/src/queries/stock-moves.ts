import type { Queryable } from '../types.js';

/** What fold_stock_moves() returns when another fold held its lock and it did nothing (migration 0013). */
export const FOLD_BUSY = -1;

/**
 * Folds every committed move into stock_levels (fold_stock_moves, migrations
 * 0006 and 0013), then checks the folded products against their par and
 * emits stock.belowPar / stock.backToPar into the outbox for each crossing,
 * in the same transaction. Returns how many stock rows it folded, or
 * FOLD_BUSY when another fold holds the lock. The worker's StockFolder
 * (jobs/stock-folder.ts) decides when.
 */
export async function foldStockMoves(db: Queryable): Promise<number> {
  const { rows } = await db.query<{ folded: number }>('SELECT fold_stock_moves() AS folded');
  return rows[0]?.folded ?? 0;
}
