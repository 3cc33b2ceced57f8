import type { DbCluster } from '@barback/db';
import type { Log as Logger } from '@barback/messaging';
import type { Queryable } from '../handlers/types.js';

/**
 * How long after a write the worker folds the stock moves that have piled up.
 * Folding is bookkeeping, never correctness (stock on hand counts the moves
 * not yet folded, see migration 0006): it keeps that tail short, so a
 * catalogue read sums a few moves per product, not a night's worth. A busy
 * bar writes hundreds of moves a second; four folds a second keep the tail to
 * a few hundred rows.
 */
export const FOLD_DELAY_MS = 250;

/** Folds every committed move into stock_levels; 0 when another fold holds the lock (it takes them). */
export async function foldStockMoves(db: Queryable): Promise<number> {
  const { rows } = await db.query<{ folded: number }>('SELECT fold_stock_moves() AS folded');
  return rows[0]?.folded ?? 0;
}

/**
 * Runs `fold` once, `delayMs` after the first write that asks for it, however
 * many more ask meanwhile; a write after that fold schedules the next. An idle
 * bar costs nothing, and a worker that dies leaves its moves to the next fold
 * of any worker, or to stock on hand, which counts them either way.
 */
export class StockFolder {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private closed = false;

  constructor(
    private readonly fold: () => Promise<unknown>,
    private readonly log: Logger,
    private readonly delayMs = FOLD_DELAY_MS,
  ) {}

  soon(): void {
    if (this.timer || this.closed) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.running = this.fold()
        .then(
          () => undefined,
          (err: Error) => this.log.warn({ err: err.message }, 'stock moves not folded; the next fold takes them'),
        )
        .finally(() => {
          this.running = null;
        });
    }, this.delayMs);
    // A fold due when the process exits is simply left to the next one.
    this.timer.unref();
  }

  /** No more folds; resolves once a fold already running has finished, so the pools can close under nothing. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }
}

/** The folder a process with these pools runs: folds go to whichever node is the primary at the time. */
export function createStockFolder(db: DbCluster, log: Logger): StockFolder {
  return new StockFolder(async () => foldStockMoves(await db.primary()), log);
}
