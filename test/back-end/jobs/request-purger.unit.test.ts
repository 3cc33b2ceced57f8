/**
 * When RequestPurger purges, against a fake batch that counts its calls: the
 * real statement is tested against the primary in
 * test/back-end/queries/processed-requests.test.ts.
 */
import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { pino } from 'pino';
import { RequestPurger } from '@barback/back-end';

const silent = pino({ level: 'silent' });

beforeEach(() => {
  jest.useFakeTimers();
});
afterEach(() => {
  jest.useRealTimers();
  jest.restoreAllMocks();
});

/** Lets the promise callbacks of a run that has just started settle. */
async function settle(): Promise<void> {
  for (let i = 0; i < 20; i += 1) await Promise.resolve();
}

/** A fake table of `rows` old replies, purged `batch` at a time. */
function fakeTable(rows: number, batch: number) {
  const table = { rows, calls: 0 };
  const purgeBatch = async () => {
    table.calls += 1;
    const deleted = Math.min(batch, table.rows);
    table.rows -= deleted;
    return deleted;
  };
  return { table, purgeBatch };
}

describe('RequestPurger', () => {
  it('purges batch after batch until one comes back short', async () => {
    const { table, purgeBatch } = fakeTable(2500, 1000);
    const purger = new RequestPurger({ purgeBatch, log: silent, batch: 1000 });
    expect(await purger.run()).toBe(2500);
    expect(table.calls).toBe(3);
    expect(table.rows).toBe(0);
  });

  it('stops a run after maxBatches and leaves the rest to the next run', async () => {
    const { table, purgeBatch } = fakeTable(10_000, 100);
    const purger = new RequestPurger({ purgeBatch, log: silent, batch: 100, maxBatches: 5 });
    expect(await purger.run()).toBe(500);
    expect(table.rows).toBe(9_500);
  });

  it('first runs after a random part of the interval, then every interval, and never after close', async () => {
    jest.spyOn(Math, 'random').mockReturnValue(0.25);
    const { table, purgeBatch } = fakeTable(0, 1000);
    const purger = new RequestPurger({ purgeBatch, log: silent, intervalMs: 60_000 });
    purger.start();
    jest.advanceTimersByTime(14_999);
    expect(table.calls).toBe(0);
    jest.advanceTimersByTime(1);
    expect(table.calls).toBe(1);
    await settle();
    jest.advanceTimersByTime(60_000);
    expect(table.calls).toBe(2);
    await settle();
    await purger.close();
    jest.advanceTimersByTime(600_000);
    expect(table.calls).toBe(2);
  });

  it('close waits for a batch in progress and starts no other', async () => {
    let release: (n: number) => void = () => undefined;
    let calls = 0;
    const purger = new RequestPurger({
      purgeBatch: () => {
        calls += 1;
        return new Promise<number>((resolve) => (release = resolve));
      },
      log: silent,
      batch: 10,
      intervalMs: 1000,
    });
    jest.spyOn(Math, 'random').mockReturnValue(0);
    purger.start();
    jest.advanceTimersByTime(0);
    expect(calls).toBe(1);
    let closed = false;
    const closing = purger.close().then(() => (closed = true));
    await settle();
    expect(closed).toBe(false);
    release(10);
    await closing;
    expect(closed).toBe(true);
    expect(calls).toBe(1);
  });

  it('a failed batch is logged with what went before it, and the next run tries again', async () => {
    const warnings: Array<{ msg: string; purged: number }> = [];
    const log = pino({ level: 'warn' }, { write: (line: string) => warnings.push(JSON.parse(line)) });
    let calls = 0;
    const purger = new RequestPurger({
      purgeBatch: async () => {
        calls += 1;
        if (calls === 2) throw new Error('primary gone');
        return 10;
      },
      log,
      batch: 10,
      maxBatches: 3,
    });
    expect(await purger.run()).toBe(10);
    expect(warnings).toEqual([expect.objectContaining({ msg: 'stored replies not purged; the next run tries again', purged: 10 })]);
    expect(await purger.run()).toBe(30);
  });
});
