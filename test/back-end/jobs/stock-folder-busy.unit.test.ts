/**
 * A fold that finds another worker's fold holding the lock (fold_stock_moves()
 * returns FOLD_BUSY, -1: migration 0013) tries again after the delay, so moves
 * committed after that other fold's snapshot, and the par crossing they may
 * cause, do not wait for the bar's next write.
 */
import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { pino } from 'pino';
import { StockFolder } from '@barback/back-end';

const silent = pino({ level: 'silent' });
/** FOLD_BUSY in back-end/src/queries/stock-moves.ts. */
const BUSY = -1;

beforeEach(() => {
  jest.useFakeTimers();
});
afterEach(() => {
  jest.useRealTimers();
});

async function settle(): Promise<void> {
  for (let i = 0; i < 5; i += 1) await Promise.resolve();
}

describe('StockFolder when another fold holds the lock', () => {
  it('folds again after the delay until it gets the lock, then stops', async () => {
    const results = [BUSY, BUSY, 3];
    let folds = 0;
    const folder = new StockFolder(async () => results[folds++] ?? 0, silent, 250);
    folder.soon();
    for (let i = 0; i < 3; i += 1) {
      jest.advanceTimersByTime(250);
      await settle();
    }
    expect(folds).toBe(3);
    jest.advanceTimersByTime(5_000);
    await settle();
    expect(folds).toBe(3);
    await folder.close();
  });

  it('a fold that folded nothing does not fold again by itself', async () => {
    let folds = 0;
    const folder = new StockFolder(async () => {
      folds += 1;
      return 0;
    }, silent, 250);
    folder.soon();
    jest.advanceTimersByTime(250);
    await settle();
    jest.advanceTimersByTime(5_000);
    await settle();
    expect(folds).toBe(1);
    await folder.close();
  });
});
