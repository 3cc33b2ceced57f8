import type { DbCluster } from '@barback/db';
import type { Log as Logger } from '@barback/messaging';
import { foldStockMoves } from '../queries/stock-moves.js';
import { Job } from './job.js';

/**
 * How long after a write the worker folds the stock moves that have piled up.
 * Folding is bookkeeping, never correctness (stock on hand counts the moves
 * not yet folded, see migration 0006): it keeps that tail short, so a
 * catalogue read sums a few moves per product, not a night's worth. A busy
 * bar writes hundreds of moves a second; four folds a second keep the tail to
 * a few hundred rows.
 */
export const FOLD_DELAY_MS = 250;

/**
 * Runs `fold` once, `delayMs` after the first write that asks for it, however
 * many more ask meanwhile; a write after that fold schedules the next. An idle
 * bar costs nothing, and a worker that dies leaves its moves to the next fold
 * of any worker, or to stock on hand, which counts them either way. A fold
 * that comes due while one is still running runs after it, so the moves
 * committed meanwhile are not left to wait for the next write.
 */
export class StockFolder extends Job<unknown> {
  constructor(
    private readonly fold: () => Promise<unknown>,
    log: Logger,
    private readonly delayMs = FOLD_DELAY_MS,
  ) {
    super({ log, failure: 'stock moves not folded; the next fold takes them' });
  }

  /** Called after every write's commit (dispatch), so the fold finds that write's moves. */
  soon(): void {
    this.schedule(this.delayMs);
  }

  protected work(): Promise<unknown> {
    return this.fold();
  }
}

/** The folder a process with these pools runs: folds go to whichever node is the primary at the time. */
export function createStockFolder(db: DbCluster, log: Logger): StockFolder {
  return new StockFolder(async () => foldStockMoves(await db.primary()), log);
}
