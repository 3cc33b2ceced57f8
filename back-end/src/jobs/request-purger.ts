import type { DbCluster } from '@barback/db';
import type { Log as Logger } from '@barback/messaging';
import { purgeProcessedRequests } from '../queries/processed-requests.js';
import { purgeEvents } from '../queries/outbox.js';
import { Job } from './job.js';

/**
 * Rows deleted per statement: each batch is a short transaction of its own,
 * so a purge after a long pause never holds many row locks or much WAL at once.
 */
export const PURGE_BATCH = 1000;
/** Batches per run at most; a backlog larger than that is finished by the next runs. */
export const PURGE_MAX_BATCHES = 100;
/** How often each worker purges: a bar's replies of ten minutes are a few thousand rows. */
export const PURGE_INTERVAL_MS = 10 * 60_000;

export interface RequestPurgerOptions {
  /** Deletes one batch of at most `batch` rows, resolving with how many went. */
  purgeBatch: (batch: number) => Promise<number>;
  log: Logger;
  /** What it purges, for its log lines ('stored replies' unless told). */
  what?: string;
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
export class RequestPurger extends Job<number> {
  private readonly purgeBatch: (batch: number) => Promise<number>;
  private readonly batch: number;
  private readonly maxBatches: number;
  private readonly what: string;

  constructor(options: RequestPurgerOptions) {
    const what = options.what ?? 'stored replies';
    super({ log: options.log, failure: `${what} not purged; the next run tries again`, intervalMs: options.intervalMs ?? PURGE_INTERVAL_MS });
    this.what = what;
    this.purgeBatch = options.purgeBatch;
    this.batch = options.batch ?? PURGE_BATCH;
    this.maxBatches = options.maxBatches ?? PURGE_MAX_BATCHES;
  }

  /**
   * The first run comes after a random part of the interval, so workers
   * started together (a deployment) do not all purge at once, then every interval.
   */
  protected override firstDelayMs(): number {
    return Math.floor(Math.random() * (this.intervalMs ?? PURGE_INTERVAL_MS));
  }

  /**
   * One run: batches until one comes back short, `maxBatches` at most, none
   * after close; a failure is logged with what went before it and the rest
   * waits for the next run.
   */
  protected async work(): Promise<number> {
    let purged = 0;
    try {
      for (let n = 0; n < this.maxBatches && !this.closing; n += 1) {
        const deleted = await this.purgeBatch(this.batch);
        purged += deleted;
        if (deleted < this.batch) break;
      }
    } catch (err) {
      this.log.warn({ err: (err as Error).message, purged }, `${this.what} not purged; the next run tries again`);
    }
    if (purged > 0) this.log.info({ purged }, `purged ${this.what} past their keep time`);
    return purged;
  }
}

/** The purger of a worker with these pools, by its configured keep time: batches go to whichever node is the primary. */
export function createRequestPurger(db: DbCluster, keepHours: number, log: Logger): RequestPurger {
  return new RequestPurger({ purgeBatch: async (batch) => purgeProcessedRequests(await db.primary(), keepHours, batch), log });
}

/**
 * Published events past the retention (EVENTS_RETENTION_DAYS): the outbox
 * doubles as the history listEvents replays, so it is kept as long as the
 * stream keeps them, and no longer.
 */
export function createEventPurger(db: DbCluster, keepDays: number, log: Logger): RequestPurger {
  return new RequestPurger({ purgeBatch: async (batch) => purgeEvents(await db.primary(), keepDays, batch), log, what: 'published events' });
}
