/**
 * inReportTransaction (back-end/src/queries/variance.ts): the variance report runs in
 * one read-only snapshot with JIT compilation and sequential scans off
 * (what each cost is in its comment), and the pooled connection goes back as it came: no
 * setting and no transaction left behind, after a reply or an error.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { inReportTransaction } from '../../../back-end/src/queries/variance.js';
import type { Queryable } from '../../../back-end/src/types.js';
import { loadServices } from '../../helpers/services.js';

let pool: pg.Pool;

beforeAll(() => {
  const primary = loadServices().postgres.find((p) => p.role === 'primary');
  if (!primary) throw new Error('no primary in the test services');
  // One connection: the one the report used is the one asked afterwards.
  pool = new pg.Pool({ connectionString: primary.url, max: 1 });
});
afterAll(async () => {
  await pool?.end();
});

interface State {
  pid: number;
  jit: string;
  seqscan: string;
  readOnly: string;
  isolation: string;
  xact: string;
}

async function state(q: Queryable): Promise<State> {
  const { rows } = await q.query<State>(
    `SELECT pg_backend_pid() AS pid, current_setting('jit') AS jit, current_setting('enable_seqscan') AS seqscan,
            current_setting('transaction_read_only') AS "readOnly",
            current_setting('transaction_isolation') AS isolation, to_char(now(), 'HH24:MI:SS.US') AS xact`,
  );
  return rows[0]!;
}

describe('inReportTransaction', () => {
  it('runs every query in one read-only snapshot with JIT off, and hands the connection back as it was', async () => {
    const before = await state(pool);
    expect(before.jit).toBe('on');

    const [first, second] = await inReportTransaction(pool, async (q) => {
      const a = await state(q);
      await new Promise((resolve) => setTimeout(resolve, 5));
      return [a, await state(q)] as const;
    });
    expect(first).toMatchObject({ jit: 'off', seqscan: 'off', readOnly: 'on', isolation: 'repeatable read' });
    // The same transaction: its now() did not move between the two queries.
    expect(second).toEqual(first);
    expect(first.pid).toBe(before.pid);

    const after = await state(pool);
    expect(after).toMatchObject({ pid: before.pid, jit: 'on', seqscan: 'on', readOnly: 'off', isolation: before.isolation });
  });

  it('rejects with the error of the queries, rolled back, and the connection still serves', async () => {
    const before = await state(pool);
    await expect(
      inReportTransaction(pool, async (q) => {
        await q.query('SELECT 1 / 0');
      }),
    ).rejects.toThrow('division by zero');
    const after = await state(pool);
    expect(after).toMatchObject({ pid: before.pid, jit: 'on', seqscan: 'on', readOnly: 'off' });
  });

  it("runs on a client as it is: the caller's transaction is the caller's", async () => {
    const client = await pool.connect();
    try {
      const seen = await inReportTransaction(client, async (q) => {
        expect(q).toBe(client);
        return state(client);
      });
      expect(seen).toMatchObject({ jit: 'on', seqscan: 'on', readOnly: 'off' });
    } finally {
      client.release();
    }
  });
});
