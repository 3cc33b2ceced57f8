/**
 * When StockFolder folds, against a fake fold that counts its calls: once per
 * burst of writes, again for writes after it, never after close. The real
 * fold (fold_stock_moves, migration 0006) is tested against the primary in
 * test/back-end/queries/stock-moves.test.ts.
 */
import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { pino } from 'pino';
import { StockFolder } from '@barback/back-end';

const silent = pino({ level: 'silent' });

beforeEach(() => {
  jest.useFakeTimers();
});
afterEach(() => {
  jest.useRealTimers();
});

/** Lets the promise callbacks of a fold that has just run settle. */
async function settle(): Promise<void> {
  for (let i = 0; i < 5; i += 1) await Promise.resolve();
}

describe('StockFolder', () => {
  it('folds once, the delay after the first of a burst of writes', async () => {
    let folds = 0;
    const folder = new StockFolder(async () => (folds += 1), silent, 250);
    for (let i = 0; i < 50; i += 1) folder.soon();
    jest.advanceTimersByTime(249);
    expect(folds).toBe(0);
    jest.advanceTimersByTime(1);
    expect(folds).toBe(1);
    jest.advanceTimersByTime(1000);
    expect(folds).toBe(1);
  });

  it('a write after a fold schedules the next one', async () => {
    let folds = 0;
    const folder = new StockFolder(async () => (folds += 1), silent, 250);
    folder.soon();
    jest.advanceTimersByTime(250);
    await settle();
    folder.soon();
    jest.advanceTimersByTime(250);
    expect(folds).toBe(2);
  });

  it('a failed fold is logged, and the next write folds again', async () => {
    const warnings: string[] = [];
    const log = pino({ level: 'warn' }, { write: (line: string) => warnings.push(JSON.parse(line).msg) });
    let calls = 0;
    const folder = new StockFolder(async () => {
      calls += 1;
      if (calls === 1) throw new Error('primary gone');
    }, log, 250);
    folder.soon();
    jest.advanceTimersByTime(250);
    await settle();
    expect(warnings).toEqual(['stock moves not folded; the next fold takes them']);
    folder.soon();
    jest.advanceTimersByTime(250);
    await settle();
    expect(calls).toBe(2);
    expect(warnings).toHaveLength(1);
  });

  it('close cancels a fold not yet due and waits for one running', async () => {
    let folds = 0;
    let finish: () => void = () => undefined;
    const folder = new StockFolder(() => new Promise<void>((resolve) => {
      folds += 1;
      finish = resolve;
    }), silent, 250);
    folder.soon();
    jest.advanceTimersByTime(250);
    expect(folds).toBe(1);
    let closed = false;
    const closing = folder.close().then(() => {
      closed = true;
    });
    await settle();
    expect(closed).toBe(false);
    finish();
    await closing;
    expect(closed).toBe(true);
    folder.soon();
    jest.advanceTimersByTime(1000);
    expect(folds).toBe(1);
  });

  it('close before the delay means no fold at all', async () => {
    let folds = 0;
    const folder = new StockFolder(async () => (folds += 1), silent, 250);
    folder.soon();
    await folder.close();
    jest.advanceTimersByTime(1000);
    expect(folds).toBe(0);
  });
});
