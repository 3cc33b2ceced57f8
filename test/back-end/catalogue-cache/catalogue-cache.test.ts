/**
 * A worker keeps each venue's catalogue between lists (CatalogueCache) and
 * reads only its version and the stock per list: every change must still show
 * on the very next list, and a sale must not make the workers reload it.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createProduct, createVenue, serving, startRig, type Product, type Rig, type Venue } from '../../helpers/venue.js';

let rig: Rig;
let venue: Venue;

beforeAll(async () => {
  rig = await startRig();
  venue = await createVenue(rig, 'catalogue-cache');
});
afterAll(async () => {
  await rig?.close();
});

async function catalogueVersion(): Promise<number> {
  const { rows } = await (await rig.primary()).query<{ v: number }>(
    'SELECT COALESCE((SELECT version FROM catalogue_versions WHERE venue_id = $1), 0)::int AS v',
    [venue.venueId],
  );
  return rows[0]!.v;
}

async function listed(id: string): Promise<Product> {
  const { items } = await venue.manager.call('catalogue.listProducts', {});
  const product = items.find((p) => p.id === id);
  if (!product) throw new Error(`product ${id} is not listed`);
  return product;
}

describe('the catalogue a worker keeps', () => {
  it('shows a sale’s stock draw on the next list, and the sale leaves the catalogue version alone', async () => {
    const stout = await createProduct(venue.manager);
    const before = await listed(stout.id);
    const version = await catalogueVersion();
    expect(version).toBeGreaterThan(0);

    // Two pints of a 50 l keg: 2 × 568 / 50 000 = 0.02272 of a unit.
    await venue.manager.call('sales.recordSale', {
      lines: [{ servingId: serving(stout, 'Pint').id, quantity: 2 }],
      payments: [{ method: 'cash', amountCents: 1120 }],
    });
    const after = await listed(stout.id);
    expect(after.stockUnits).toBeCloseTo(before.stockUnits - 0.02272, 8);
    expect({ ...after, stockUnits: 0 }).toEqual({ ...before, stockUnits: 0 });
    expect(await catalogueVersion()).toBe(version);
  });

  it('shows a price change, a retired and a new serving, and a new product on the next list', async () => {
    const stout = await createProduct(venue.manager);
    await listed(stout.id);
    const version = await catalogueVersion();

    await venue.manager.call('catalogue.updateProduct', {
      id: stout.id,
      servings: [
        { id: serving(stout, 'Pint').id, name: 'Pint', ml: 568, priceCents: 590 },
        { name: 'Third', ml: 189, priceCents: 220 },
      ],
    });
    const changed = await listed(stout.id);
    expect(changed.servings.map((s) => [s.name, s.priceCents])).toEqual([
      ['Pint', 590],
      ['Third', 220],
    ]);
    expect(await catalogueVersion()).toBeGreaterThan(version);

    await venue.manager.call('catalogue.updateProduct', { id: stout.id, parUnits: 7 });
    expect((await listed(stout.id)).parUnits).toBe(7);

    const cider = await createProduct(venue.manager, { name: `Cider ${Date.now().toString(36)}` });
    expect((await listed(cider.id)).name).toBe(cider.name);
  });
});
