/**
 * A product's place within its category (sortOrder): new ones go last, a
 * manager moves one with catalogue.updateProduct, and the list the till shows
 * follows, numbered 1..n in each category whatever the names.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createProduct, createVenue, startRig, type Caller, type Rig } from '../../../helpers/venue.js';

let rig: Rig;

beforeAll(async () => {
  rig = await startRig();
});
afterAll(async () => {
  await rig?.close();
});

/** The till's list of one category, as [name, place]. */
async function places(manager: Caller, category: string): Promise<Array<[string, number]>> {
  const { items } = await manager.call('catalogue.listProducts', {});
  return items.filter((p) => p.category === category).map((p) => [p.name, p.sortOrder]);
}

const bottle = (name: string, extra: { sortOrder?: number } = {}) => ({
  name,
  category: 'bottle' as const,
  // Alcohol-free: counted in whole bottles, no minimum unit price to meet.
  abv: 0,
  unitMl: null,
  servings: [{ name: 'Bottle', ml: null, priceCents: 600 }],
  ...extra,
});

describe('the order of products on the till', () => {
  it('puts new products last in their category, not by name', async () => {
    const venue = await createVenue(rig, 'order-new');
    for (const name of ['Zywiec', 'Moretti', 'Asahi']) await createProduct(venue.manager, bottle(name));
    expect(await places(venue.manager, 'bottle')).toEqual([['Zywiec', 1], ['Moretti', 2], ['Asahi', 3]]);
    // A place asked for on create: the others move down.
    await createProduct(venue.manager, bottle('Corona', { sortOrder: 2 }));
    expect(await places(venue.manager, 'bottle')).toEqual([['Zywiec', 1], ['Corona', 2], ['Moretti', 3], ['Asahi', 4]]);
  });

  it('moves a product up or down, or past the end to last, keeping the places 1..n', async () => {
    const venue = await createVenue(rig, 'order-move');
    const [a, b, c] = [await createProduct(venue.manager, bottle('A')), await createProduct(venue.manager, bottle('B')), await createProduct(venue.manager, bottle('C'))];
    expect(await venue.manager.call('catalogue.updateProduct', { id: c.id, sortOrder: 1 })).toMatchObject({ sortOrder: 1 });
    expect(await places(venue.manager, 'bottle')).toEqual([['C', 1], ['A', 2], ['B', 3]]);
    // Down one: to the place of the one after it.
    await venue.manager.call('catalogue.updateProduct', { id: c.id, sortOrder: 2 });
    expect(await places(venue.manager, 'bottle')).toEqual([['A', 1], ['C', 2], ['B', 3]]);
    await venue.manager.call('catalogue.updateProduct', { id: a.id, sortOrder: 500 });
    expect(await places(venue.manager, 'bottle')).toEqual([['C', 1], ['B', 2], ['A', 3]]);
    // Another change leaves the place alone.
    await venue.manager.call('catalogue.updateProduct', { id: b.id, unitCostCents: 90 });
    expect(await places(venue.manager, 'bottle')).toEqual([['C', 1], ['B', 2], ['A', 3]]);
  });

  it('puts a product moved to another category last there, and closes the gap it left', async () => {
    const venue = await createVenue(rig, 'order-category');
    const first = await createProduct(venue.manager, bottle('First'));
    await createProduct(venue.manager, bottle('Second'));
    await createProduct(venue.manager, { ...bottle('Cola'), category: 'soft', abv: 0 });
    await venue.manager.call('catalogue.updateProduct', { id: first.id, category: 'soft', abv: 0 });
    expect(await places(venue.manager, 'bottle')).toEqual([['Second', 1]]);
    expect(await places(venue.manager, 'soft')).toEqual([['Cola', 1], ['First', 2]]);
  });

  it('refuses a place that is not a whole number from 1, naming the field', async () => {
    const venue = await createVenue(rig, 'order-refuse');
    const product = await createProduct(venue.manager, bottle('Only'));
    for (const sortOrder of [0, 1.5, -1]) {
      const err = await venue.manager.error('catalogue.updateProduct', { id: product.id, sortOrder });
      expect(err).toMatchObject({ code: 'BB_VALIDATION', statusCode: 400, field: 'sortOrder' });
    }
  });
});
