import type { DbCluster } from '@barback/db';
import type { Log as Logger } from '@barback/messaging';
import { FOLD_BUSY, foldStockMoves } from '../queries/stock-moves.js';
import { Job } from './job.js';

/**
 * How long after a write the worker folds the stock moves that have piled up.
 * Stock on hand never depends on it (it counts the moves not yet folded, see
 * migration 0006): folding keeps that tail short, so a catalogue read sums a
 * few moves per product, not a night's worth. A busy bar writes hundreds of
 * moves a second; four folds a second keep the tail to a few hundred rows.
 * The fold is also where low stock is seen (migration 0013): a crossing of
 * par is emitted by the fold after the write that caused it, so this delay
 * plus the fold and the relay's poll is the alert's latency, well within the
 * second issue 16 allows.
 */
export const FOLD_DELAY_MS = 250;

/**
 * Runs `fold` once, `delayMs` after the first write that asks for it, however
 * many more ask meanwhile; a write after that fold schedules the next. An idle
 * bar costs nothing, and a worker that dies leaves its moves to the next fold
 * of any worker, or to stock on hand, which counts them either way. A fold
 * that comes due while one is still running runs after it, so the moves
 * committed meanwhile are not left to wait for the next write. A fold that
 * found another worker's fold holding the lock tries again after the delay:
 * that fold may have taken its snapshot before this worker's moves committed,
 * and a crossing they cause must not wait for the next write of the bar.
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

  protected async work(): Promise<unknown> {
    const folded = await this.fold();
    if (folded === FOLD_BUSY) this.schedule(this.delayMs);
    return folded;
  }
}

/** The folder a process with these pools runs: folds go to whichever node is the primary at the time. */
export function createStockFolder(db: DbCluster, log: Logger): StockFolder {
  return new StockFolder(async () => foldStockMoves(await db.primary()), log);
}
