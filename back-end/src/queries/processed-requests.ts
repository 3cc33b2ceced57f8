import type { Log as Logger } from '@barback/messaging';
import type { Queryable } from '../handlers/types.js';
import { statement } from './statement.js';

/**
 * Rows deleted per statement: each batch is a short transaction of its own,
 * so a purge after a long pause never holds many row locks or much WAL at once.
 */
export const PURGE_BATCH = 1000;
/** Batches per run at most; a backlog larger than that is finished by the next runs. */
export const PURGE_MAX_BATCHES = 100;
/** How often each worker purges: a bar's replies of ten minutes are a few thousand rows. */
export const PURGE_INTERVAL_MS = 10 * 60_000;

// SKIP LOCKED: workers purging at the same moment take different rows instead
// of queueing on each other's. The oldest first, through processed_requests_created_idx.
const purgeStatement = statement(
  'purge-processed-requests',
  `WITH old AS (
     SELECT scope, request_id FROM processed_requests
      WHERE created_at < now() - make_interval(hours => $1::int)
      ORDER BY created_at
      LIMIT $2::int
        FOR UPDATE SKIP LOCKED)
   DELETE FROM processed_requests p USING old
    WHERE p.scope = old.scope AND p.request_id = old.request_id`,
);

/** Deletes one batch of stored replies older than `keepHours`; resolves with how many went. */
export async function purgeProcessedRequests(db: Queryable, keepHours: number, batch = PURGE_BATCH): Promise<number> {
  const result = await db.query(purgeStatement([keepHours, batch]));
  return result.rowCount ?? 0;
}

export interface RequestPurgerOptions {
  /** Deletes one batch, resolving with how many rows went. */
  purgeBatch: () => Promise<number>;
  log: Logger;
  batch?: number;
  maxBatches?: number;
  intervalMs?: number;
}

/**
 * Purges stored replies past their keep time (IDEMPOTENCY_KEEP_HOURS), on a
 * timer, in batches: processed_requests holds a write's whole reply (about
 * 1.6 KB for a sale, more than the sale's own rows), so kept for ever it would
 * outgrow the bar's books. A repeat of a request older than the keep time is
 * applied as new; retries come within seconds and a resubmitted form within
 * minutes, so a week leaves a wide margin.
 */
export class RequestPurger {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;
  private closed = false;
  private readonly batch: number;
  private readonly maxBatches: number;
  private readonly intervalMs: number;

  constructor(private readonly options: RequestPurgerOptions) {
    this.batch = options.batch ?? PURGE_BATCH;
    this.maxBatches = options.maxBatches ?? PURGE_MAX_BATCHES;
    this.intervalMs = options.intervalMs ?? PURGE_INTERVAL_MS;
  }

  /**
   * The first run comes after a random part of the interval, so workers
   * started together (a deployment) do not all purge at once, then every interval.
   */
  start(): void {
    if (this.closed || this.timer) return;
    this.schedule(Math.floor(Math.random() * this.intervalMs));
  }

  private schedule(delayMs: number): void {
    this.timer = setTimeout(() => {
      this.timer = null;
      this.running = this.run().finally(() => {
        this.running = null;
        if (!this.closed) this.schedule(this.intervalMs);
      });
    }, delayMs);
    // A purge due when the process exits is simply left to another worker or the next start.
    this.timer.unref();
  }

  /** One run: batches until one comes back short, `maxBatches` at most; failures wait for the next run. */
  async run(): Promise<number> {
    let purged = 0;
    try {
      for (let n = 0; n < this.maxBatches && !this.closed; n += 1) {
        const deleted = await this.options.purgeBatch();
        purged += deleted;
        if (deleted < this.batch) break;
      }
    } catch (err) {
      this.options.log.warn({ err: (err as Error).message, purged }, 'stored replies not purged; the next run tries again');
    }
    if (purged > 0) this.options.log.info({ purged }, 'purged stored replies past their keep time');
    return purged;
  }

  /** No more runs; resolves once a run already going has finished its batch, so the pools can close under nothing. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }
}
