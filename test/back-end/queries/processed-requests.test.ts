/**
 * A write's stored reply (processed_requests) answers repeats of its request
 * id for IDEMPOTENCY_KEEP_HOURS, then the workers purge it in batches: the
 * table must not grow with every sale for ever, and a purge must never take a
 * reply still inside its keep time.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { purgeProcessedRequests } from '@barback/back-end';
import { startWorker } from '../../helpers/worker.js';
import { createProduct, createVenue, serving, startRig, type Product, type Rig, type Venue } from '../../helpers/venue.js';

let rig: Rig;
let venue: Venue;
let lager: Product;

beforeAll(async () => {
  rig = await startRig(1);
  venue = await createVenue(rig, 'purge');
  lager = await createProduct(venue.manager);
});
afterAll(async () => {
  await rig?.close();
});

function sellPint(requestId: string) {
  return venue.manager.call(
    'sales.recordSale',
    { lines: [{ servingId: serving(lager, 'Pint').id, quantity: 1 }], payments: [{ method: 'card', amountCents: 560 }] },
    { requestId },
  );
}

/** Makes the stored replies of these request ids look `hours` old. */
async function age(requestIds: string[], hours: number): Promise<void> {
  await (await rig.primary()).query(
    `UPDATE processed_requests SET created_at = now() - make_interval(hours => $2) WHERE request_id = ANY($1::text[])`,
    [requestIds, hours],
  );
}

async function stored(requestIds: string[]): Promise<string[]> {
  const { rows } = await (await rig.primary()).query<{ request_id: string }>(
    'SELECT request_id FROM processed_requests WHERE request_id = ANY($1::text[]) ORDER BY request_id',
    [requestIds],
  );
  return rows.map((r) => r.request_id);
}

/**
 * The keep time these tests purge by: shorter than the rig's workers' (the
 * default week), so their own timed purges never take the rows aged here
 * while a test counts what it purged.
 */
const KEEP_HOURS = 2;

async function tabCount(tabId: string): Promise<number> {
  const { rows } = await (await rig.primary()).query<{ n: number }>('SELECT count(*)::int AS n FROM tabs WHERE id = $1', [tabId]);
  return rows[0]!.n;
}

describe('stored replies', () => {
  it('go once older than the keep time, and the ones inside it stay and still answer repeats', async () => {
    const old = [randomUUID(), randomUUID(), randomUUID()];
    const recent = [randomUUID(), randomUUID()];
    const sales = new Map<string, string>();
    for (const id of [...old, ...recent]) sales.set(id, (await sellPint(id)).id);
    await age(old, KEEP_HOURS + 1);
    await age(recent, KEEP_HOURS - 1);

    const pool = await rig.primary();
    let purged = 0;
    for (let n = 0; n < 100; n += 1) {
      const deleted = await purgeProcessedRequests(pool, KEEP_HOURS, 2);
      expect(deleted).toBeLessThanOrEqual(2);
      purged += deleted;
      if (deleted < 2) break;
    }
    expect(purged).toBeGreaterThanOrEqual(old.length);
    expect(await stored([...old, ...recent])).toEqual([...recent].sort());

    // Inside the keep time a repeat gets the first reply back: the same tab, nothing new.
    const repeat = await sellPint(recent[0]!);
    expect(repeat.id).toBe(sales.get(recent[0]!));
    // Past it, the request id is free again: a repeat is a new sale (so the keep time must outlast any retry).
    const again = await sellPint(old[0]!);
    expect(again.id).not.toBe(sales.get(old[0]!));
    expect(await tabCount(sales.get(old[0]!)!)).toBe(1);
  });

  it('two purges at once take different rows, and between them take every old one', async () => {
    const old = Array.from({ length: 8 }, () => randomUUID());
    for (const id of old) await sellPint(id);
    await age(old, KEEP_HOURS + 5);
    const pool = await rig.primary();
    const drain = async () => {
      let total = 0;
      for (let deleted = 3; deleted === 3; total += deleted) deleted = await purgeProcessedRequests(pool, KEEP_HOURS, 3);
      return total;
    };
    const [a, b] = await Promise.all([drain(), drain()]);
    expect(a + b).toBeGreaterThanOrEqual(old.length);
    expect(await stored(old)).toEqual([]);
  });

  it('a worker purges by its own configured keep time', async () => {
    const worker = await startWorker({ IDEMPOTENCY_KEEP_HOURS: String(KEEP_HOURS) });
    try {
      const older = randomUUID();
      const newer = randomUUID();
      await sellPint(older);
      await sellPint(newer);
      await age([older], KEEP_HOURS + 1);
      await age([newer], KEEP_HOURS - 1);
      expect(await worker.purger.run()).toBeGreaterThanOrEqual(1);
      expect(await stored([older, newer])).toEqual([newer]);
    } finally {
      await worker.stop();
    }
  });
});
