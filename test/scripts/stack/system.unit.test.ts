import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { portIsFree, RUN_HEADER, tailFile, waitFor, withRetries } from '../../../scripts/stack/system.js';

const dir = mkdtempSync(join(tmpdir(), 'barback-system-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('tailFile', () => {
  it('shows the last lines of the latest run only', () => {
    const file = join(dir, 'a.log');
    writeFileSync(file, `${RUN_HEADER}run 1\nold 1\nold 2\n\n${RUN_HEADER}run 2\nnew 1\nnew 2\n`);
    expect(tailFile(file, 10)).toBe(`${RUN_HEADER}run 2\nnew 1\nnew 2`);
    expect(tailFile(file, 2)).toBe('new 1\nnew 2');
  });

  it('copes with missing files and long logs', () => {
    expect(tailFile(join(dir, 'missing.log'))).toBe('');
    const file = join(dir, 'long.log');
    writeFileSync(file, Array.from({ length: 20_000 }, (_, i) => `line ${i}`).join('\n') + '\n');
    expect(tailFile(file, 3)).toBe('line 19997\nline 19998\nline 19999');
  });
});

describe('withRetries', () => {
  const crashed = new Error('node exited');
  const retryable = (err: unknown) => err === crashed;

  it('starts again after a failure a fresh start cures, and returns what the attempt that worked returned', async () => {
    const results = [crashed, crashed, 'up'];
    const retried: number[] = [];
    const value = await withRetries(
      3,
      async () => {
        const r = results.shift();
        if (r instanceof Error) throw r;
        return r;
      },
      retryable,
      async (failed) => void retried.push(failed),
    );
    expect(value).toBe('up');
    expect(retried).toEqual([1, 2]);
  });

  /** Runs withRetries on an attempt that always fails with `err`; says how many attempts it made. */
  async function attemptsUntilGivenUp(err: Error): Promise<number> {
    let calls = 0;
    const attempt = async () => {
      calls += 1;
      throw err;
    };
    await expect(withRetries(3, attempt, retryable, async () => undefined)).rejects.toBe(err);
    return calls;
  }

  it('gives up after the last attempt with its error', async () => {
    expect(await attemptsUntilGivenUp(crashed)).toBe(3);
  });

  it('throws any other failure at once', async () => {
    expect(await attemptsUntilGivenUp(new Error('timed out'))).toBe(1);
  });
});

describe('waitFor', () => {
  it('returns the first truthy value', async () => {
    let n = 0;
    await expect(waitFor('n to reach 3', async () => (++n >= 3 ? n : undefined), { timeoutMs: 2000, intervalMs: 1 })).resolves.toBe(3);
  });

  it('names what it waited for and the last error', async () => {
    await expect(
      waitFor('the moon', async () => {
        throw new Error('not yet');
      }, { timeoutMs: 50, intervalMs: 10 }),
    ).rejects.toThrow(/waiting for the moon \(last error: not yet\)/);
  });

  it('stops at once when aborted', async () => {
    await expect(waitFor('x', async () => false, { timeoutMs: 10_000, abort: () => 'process died' })).rejects.toThrow('x: process died');
  });
});

describe('portIsFree', () => {
  it('tells a bound port from a free one', async () => {
    const srv = createServer();
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
    const port = (srv.address() as { port: number }).port;
    expect(await portIsFree(port)).toBe(false);
    await new Promise<void>((r) => srv.close(() => r()));
    expect(await portIsFree(port)).toBe(true);
  });
});
