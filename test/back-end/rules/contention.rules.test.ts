import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createProduct, createVenue, serving, startRig, stockUnits, type Rig, type Venue } from '../../helpers/venue.js';

let rig: Rig;
let venue: Venue;

beforeAll(async () => {
  rig = await startRig(2);
  venue = await createVenue(rig, 'contention');
});
afterAll(async () => {
  await rig?.close();
});

async function deadlocks(): Promise<number> {
  const db = await rig.primary();
  const { rows } = await db.query<{ n: string }>('SELECT deadlocks AS n FROM pg_stat_database WHERE datname = current_database()');
  return Number(rows[0]!.n);
}

describe('busy night: quick sales of the same products at once', () => {
  it('rung up in opposite orders on two workers, none deadlocks, and stock is exact', async () => {
    const lager = await createProduct(venue.manager);
    const stout = await createProduct(venue.manager);
    const pint = (p: typeof lager) => serving(p, 'Pint').id;
    const before = await deadlocks();

    const sales = Array.from({ length: 24 }, (_, i) => {
      const lines = [
        { servingId: pint(lager), quantity: 1 },
        { servingId: pint(stout), quantity: 1 },
      ];
      if (i % 2) lines.reverse();
      return venue.manager.call('sales.recordSale', { lines, payments: [{ method: 'card', amountCents: 1120 }] });
    });
    const recorded = await Promise.all(sales);

    expect(recorded).toHaveLength(24);
    expect(await deadlocks()).toBe(before);
    // 24 pints of each: 24 × 568 ml of a 50 l keg.
    expect(await stockUnits(rig, lager.id)).toBeCloseTo((-24 * 568) / 50_000, 8);
    expect(await stockUnits(rig, stout.id)).toBeCloseTo((-24 * 568) / 50_000, 8);
  });
});
