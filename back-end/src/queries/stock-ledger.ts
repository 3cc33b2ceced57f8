import type { Queryable } from '../types.js';

/** Why stock moved, as stock_moves.cause and stock_ledger.cause hold it (migration 0015). Sales' draws leave it null. */
export type StockCause = 'delivery' | 'credit_note' | 'wastage' | 'stocktake_adjustment';

/**
 * Appends stock moves with their cause, what caused them and who: like a
 * sale's draw, an insert that locks no stock row; the fold moves them into
 * stock_ledger (migration 0015) and stock_levels, and stock on hand counts
 * them from the commit on. `units` are signed: negative takes stock out.
 */
export async function appendStockMoves(
  db: Queryable,
  move: { venueId: string; cause: StockCause; refId: string; staffId: string; productIds: string[]; units: string[] },
): Promise<void> {
  await db.query(
    `INSERT INTO stock_moves (venue_id, product_id, units, cause, ref_id, staff_id)
     SELECT $1, m.product_id, m.units, $4, $5, $6 FROM unnest($2::uuid[], $3::numeric[]) AS m (product_id, units)`,
    [move.venueId, move.productIds, move.units, move.cause, move.refId, move.staffId],
  );
}
