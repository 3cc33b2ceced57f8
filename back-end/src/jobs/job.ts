import type { Log as Logger } from '@barback/messaging';

export interface JobOptions {
  log: Logger;
  /** The warning a failed run logs; the job then simply waits for its next run. */
  failure: string;
  /** Periodic jobs: after start(), the next run comes this long after each timed run ends. On-demand jobs leave it out. */
  intervalMs?: number;
}

/**
 * The lifecycle every background job of a worker shares, so each job is only
 * its work: a run is started by a timer (`start` for a periodic job, `soon`
 * for one asked for after writes) or at once (`run`), runs never overlap, a
 * failure is logged and left to the next run, and `close` stops the timer and
 * waits for the run in progress so the pools can close under nothing.
 *
 * A job's work is bookkeeping done on behalf of every worker: a run missed
 * because its worker stopped or failed is done by the next run of any worker.
 */
export abstract class Job<R = void> {
  protected readonly log: Logger;
  private readonly failure: string;
  protected readonly intervalMs: number | undefined;
  private timer: NodeJS.Timeout | null = null;
  /** The run in progress. */
  private running: Promise<R | undefined> | null = null;
  /** The one run asked for while another was in progress: it starts when that one ends. */
  private next: Promise<R | undefined> | null = null;
  private closed = false;

  constructor(options: JobOptions) {
    this.log = options.log;
    this.failure = options.failure;
    this.intervalMs = options.intervalMs;
  }

  /** One run's work. A throw (or rejection) is logged with the job's `failure` message. */
  protected abstract work(): Promise<R>;

  /** The delay before a periodic job's first run; its interval unless the job says otherwise. */
  protected firstDelayMs(): number {
    return this.intervalMs ?? 0;
  }

  /** True once close() was called: work that goes in steps stops between them. */
  protected get closing(): boolean {
    return this.closed;
  }

  /** Arms a periodic job's first run; an on-demand job (no interval) waits for soon() or run(). */
  start(): void {
    if (this.intervalMs !== undefined) this.schedule(this.firstDelayMs());
  }

  /**
   * A run `delayMs` from now, unless one is already due: however many ask
   * meanwhile, that one run serves them all (a debounce from the first ask).
   */
  schedule(delayMs: number): void {
    if (this.timer || this.closed) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.run().then(() => {
        // Measured from the end of a run, so a slow run never has the next one queued behind it.
        if (this.intervalMs !== undefined && !this.closed) this.schedule(this.intervalMs);
      });
    }, delayMs);
    // A run due when the process exits is simply left to the next run, of this worker or another.
    this.timer.unref();
  }

  /**
   * Runs now, or right after the run in progress (runs never overlap). Resolves
   * with the run's result, or undefined if it failed or the job is closed.
   */
  run(): Promise<R | undefined> {
    if (this.closed) return Promise.resolve(undefined);
    if (!this.running) return this.begin();
    this.next ??= this.running.then(() => {
      this.next = null;
      return this.closed ? undefined : this.begin();
    });
    return this.next;
  }

  /** No more runs; resolves once a run already going has finished, so the pools can close under nothing. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
    await this.next;
  }

  private begin(): Promise<R | undefined> {
    let work: Promise<R>;
    // Started in this tick, so a run's first step is under way when run() or the timer returns.
    try {
      work = this.work();
    } catch (err) {
      work = Promise.reject(err instanceof Error ? err : new Error(String(err)));
    }
    const run = work
      .then(
        (result) => result,
        (err: unknown) => {
          this.log.warn({ err: err instanceof Error ? err.message : String(err) }, this.failure);
          return undefined;
        },
      )
      .then((result) => {
        this.running = null;
        return result;
      });
    this.running = run;
    return run;
  }
}
