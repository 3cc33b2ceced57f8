/**
 * The rows every sale adds get time-ordered ids (UUID version 7, migration
 * 0007), whether the worker makes them (a quick sale) or the database does
 * (a tab opened, a line added), so the indexes grow at one end.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createProduct, createVenue, serving, startRig, type Rig, type Venue } from '../../helpers/venue.js';

let rig: Rig;
let venue: Venue;

beforeAll(async () => {
  rig = await startRig();
  venue = await createVenue(rig, 'ids');
});
afterAll(async () => {
  await rig?.close();
});

const V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const msOf = (id: string) => parseInt(id.replace(/-/g, '').slice(0, 12), 16);

function expectMadeBetween(ids: string[], from: number, to: number): void {
  for (const id of ids) {
    expect(id).toMatch(V7);
    expect(msOf(id)).toBeGreaterThanOrEqual(from);
    expect(msOf(id)).toBeLessThanOrEqual(to);
  }
}

describe('time-ordered ids', () => {
  it('a quick sale’s tab, lines and payments, made by the worker', async () => {
    const stout = await createProduct(venue.manager);
    const from = Date.now();
    const sale = await venue.manager.call('sales.recordSale', {
      lines: [
        { servingId: serving(stout, 'Pint').id, quantity: 1 },
        { servingId: serving(stout, 'Half').id, quantity: 1 },
      ],
      payments: [{ method: 'cash', amountCents: 500 }, { method: 'card', amountCents: 360 }],
    });
    expectMadeBetween([sale.id, ...sale.lines.map((l) => l.id), ...sale.payments.map((p) => p.id)], from, Date.now());
  });

  it('a tab and its lines, given their ids by the database', async () => {
    const stout = await createProduct(venue.manager);
    // The database's clock, not this process's, stamps these ids: allow for a small skew.
    const from = Date.now() - 1000;
    const tab = await venue.manager.call('till.openTab', { name: 'Snug' });
    const withLine = await venue.manager.call('till.addTabLine', { tabId: tab.id, servingId: serving(stout, 'Pint').id, quantity: 2 });
    expectMadeBetween([tab.id, ...withLine.lines.map((l) => l.id)], from, Date.now() + 1000);
  });

  it('uuid_v7 stamps the moment it is given, for rows written for another time', async () => {
    const db = await rig.primary();
    const { rows } = await db.query<{ id: string }>(`SELECT uuid_v7('2026-03-17T21:30:00.123Z') AS id FROM generate_series(1, 3)`);
    expect(new Set(rows.map((r) => r.id)).size).toBe(3);
    expectMadeBetween(rows.map((r) => r.id), Date.parse('2026-03-17T21:30:00.123Z'), Date.parse('2026-03-17T21:30:00.123Z'));
  });
});
