/**
 * The lifecycle every background job shares (Job, back-end/src/jobs/job.ts),
 * against a job whose runs finish when the test says: when a run starts, that
 * runs never overlap, what a failure leaves, and what close waits for. The two
 * real jobs are tested in stock-folder.unit.test.ts and request-purger.unit.test.ts.
 */
import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { pino } from 'pino';
import type { Log } from '@barback/messaging';
import { Job } from '@barback/back-end';

const silent = pino({ level: 'silent' });

beforeEach(() => {
  jest.useFakeTimers();
});
afterEach(() => {
  jest.useRealTimers();
});

/** Lets the promise callbacks of a run that has just finished settle. */
async function settle(): Promise<void> {
  for (let i = 0; i < 10; i += 1) await Promise.resolve();
}

/** A job whose every run waits for finish() (or fail()), and records when it started and ended. */
class TestJob extends Job<number> {
  readonly events: string[] = [];
  private pending: Array<{ resolve: (n: number) => void; reject: (err: Error) => void }> = [];
  private runs = 0;
  throwNow: Error | null = null;
  private readonly firstDelay: number | undefined;

  constructor(options: { intervalMs?: number; firstDelayMs?: number; log?: Log } = {}) {
    super({ log: options.log ?? silent, failure: 'test job failed; the next run tries again', ...(options.intervalMs === undefined ? {} : { intervalMs: options.intervalMs }) });
    this.firstDelay = options.firstDelayMs;
  }

  protected override firstDelayMs(): number {
    return this.firstDelay ?? super.firstDelayMs();
  }

  protected work(): Promise<number> {
    if (this.throwNow) throw this.throwNow;
    this.runs += 1;
    const n = this.runs;
    this.events.push(`start ${n}`);
    return new Promise<number>((resolve, reject) => {
      this.pending.push({
        resolve: (value) => {
          this.events.push(`end ${n}`);
          resolve(value);
        },
        reject,
      });
    });
  }

  get started(): number {
    return this.runs;
  }

  /** Ends the oldest run still going with `value`. */
  finish(value = 0): void {
    this.pending.shift()!.resolve(value);
  }

  fail(err: Error): void {
    this.pending.shift()!.reject(err);
  }
}

describe('Job', () => {
  it('runs now when asked, and resolves with what the run returned', async () => {
    const job = new TestJob();
    const run = job.run();
    expect(job.started).toBe(1);
    job.finish(7);
    expect(await run).toBe(7);
  });

  it('never overlaps runs: asks during a run get one run, after it ends', async () => {
    const job = new TestJob();
    const first = job.run();
    const second = job.run();
    const third = job.run();
    expect(second).toBe(third);
    await settle();
    expect(job.started).toBe(1);
    job.finish(1);
    expect(await first).toBe(1);
    await settle();
    expect(job.started).toBe(2);
    job.finish(2);
    expect(await second).toBe(2);
    expect(job.events).toEqual(['start 1', 'end 1', 'start 2', 'end 2']);
  });

  it('schedule runs once, the delay after the first ask, however many more ask meanwhile', () => {
    const job = new TestJob();
    job.schedule(250);
    jest.advanceTimersByTime(100);
    job.schedule(250);
    jest.advanceTimersByTime(149);
    expect(job.started).toBe(0);
    jest.advanceTimersByTime(1);
    expect(job.started).toBe(1);
    jest.advanceTimersByTime(10_000);
    expect(job.started).toBe(1);
  });

  it('a timed run that comes due during a run waits for it to end', async () => {
    const job = new TestJob();
    void job.run();
    job.schedule(100);
    jest.advanceTimersByTime(100);
    await settle();
    expect(job.started).toBe(1);
    job.finish();
    await settle();
    expect(job.started).toBe(2);
  });

  it('a failed run is logged with the job’s message, resolves with undefined, and the next run goes ahead', async () => {
    const lines: Array<{ msg: string; err: string }> = [];
    const log = pino({ level: 'warn' }, { write: (line: string) => lines.push(JSON.parse(line)) });
    const job = new TestJob({ log });
    const failed = job.run();
    job.fail(new Error('primary gone'));
    expect(await failed).toBeUndefined();
    expect(lines).toEqual([expect.objectContaining({ msg: 'test job failed; the next run tries again', err: 'primary gone' })]);
    const next = job.run();
    job.finish(3);
    expect(await next).toBe(3);
    expect(lines).toHaveLength(1);
  });

  it('work that throws before returning its promise is handled like a rejection', async () => {
    const lines: string[] = [];
    const log = pino({ level: 'warn' }, { write: (line: string) => lines.push(JSON.parse(line).err) });
    const job = new TestJob({ log });
    job.throwNow = new Error('bad state');
    expect(await job.run()).toBeUndefined();
    expect(lines).toEqual(['bad state']);
    job.throwNow = null;
    const next = job.run();
    job.finish(1);
    expect(await next).toBe(1);
  });

  it('a periodic job first runs after its first delay, then an interval after each run ends', async () => {
    const job = new TestJob({ intervalMs: 1000, firstDelayMs: 300 });
    job.start();
    jest.advanceTimersByTime(299);
    expect(job.started).toBe(0);
    jest.advanceTimersByTime(1);
    expect(job.started).toBe(1);
    // A slow run: the interval counts from its end, not its start.
    jest.advanceTimersByTime(5000);
    expect(job.started).toBe(1);
    job.finish();
    await settle();
    jest.advanceTimersByTime(999);
    expect(job.started).toBe(1);
    jest.advanceTimersByTime(1);
    expect(job.started).toBe(2);
  });

  it('a failed timed run still arms the next one', async () => {
    const job = new TestJob({ intervalMs: 1000 });
    job.start();
    jest.advanceTimersByTime(1000);
    expect(job.started).toBe(1);
    job.fail(new Error('primary gone'));
    await settle();
    jest.advanceTimersByTime(1000);
    expect(job.started).toBe(2);
  });

  it('start does nothing for a job without an interval, and a run asked for by hand arms no timer', async () => {
    const onDemand = new TestJob();
    onDemand.start();
    jest.advanceTimersByTime(60_000);
    expect(onDemand.started).toBe(0);

    const periodic = new TestJob({ intervalMs: 1000 });
    const run = periodic.run();
    periodic.finish();
    await run;
    await settle();
    jest.advanceTimersByTime(60_000);
    expect(periodic.started).toBe(1);
  });

  it('close cancels a run not yet due, waits for the one going, and starts none after', async () => {
    const job = new TestJob({ intervalMs: 1000 });
    job.start();
    jest.advanceTimersByTime(1000);
    expect(job.started).toBe(1);
    const queued = job.run();
    let closed = false;
    const closing = job.close().then(() => {
      closed = true;
    });
    await settle();
    expect(closed).toBe(false);
    job.finish();
    await closing;
    expect(closed).toBe(true);
    expect(await queued).toBeUndefined();
    job.schedule(10);
    jest.advanceTimersByTime(60_000);
    expect(await job.run()).toBeUndefined();
    expect(job.started).toBe(1);
  });

  it('close before a scheduled run means no run at all', async () => {
    const job = new TestJob();
    job.schedule(250);
    await job.close();
    jest.advanceTimersByTime(1000);
    expect(job.started).toBe(0);
  });
});
