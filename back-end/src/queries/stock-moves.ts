import type { Queryable } from '../types.js';

/**
 * Folds every committed move into stock_levels (fold_stock_moves, migration
 * 0006); 0 when another fold holds the lock (it takes them). The worker's
 * StockFolder (jobs/stock-folder.ts) decides when.
 */
export async function foldStockMoves(db: Queryable): Promise<number> {
  const { rows } = await db.query<{ folded: number }>('SELECT fold_stock_moves() AS folded');
  return rows[0]?.folded ?? 0;
}
