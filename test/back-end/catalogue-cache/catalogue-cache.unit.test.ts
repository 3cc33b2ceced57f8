/**
 * What CatalogueCache keeps and when it reads again, against a fake database
 * that answers the version-and-stock statement as told and counts catalogue
 * loads. The real statements and triggers are tested in
 * test/back-end/catalogue-cache/catalogue-cache.test.ts.
 */
import { describe, expect, it } from '@jest/globals';
import type { ReplyOf } from '@barback/messaging';
import { CatalogueCache, MAX_VENUES, type Queryable } from '@barback/back-end';

type Product = ReplyOf<'catalogue.listProducts'>['items'][number];

const AT = '2026-11-21T09:00:00.000Z';
function product(id: string, name: string): Product {
  return {
    id, name, category: 'draught', abv: 4.2, vatClass: 'standard', unitMl: 50_000, unitCostCents: 15_000, parUnits: 2,
    fullWeightGrams: null, emptyWeightGrams: null, location: null,
    stockUnits: 0, sortOrder: 1, archived: false, servings: [], createdAt: AT, updatedAt: AT,
  };
}

const A = '00000000-0000-4000-8000-00000000000a';
const B = '00000000-0000-4000-8000-00000000000b';

/** A venue as the fake database holds it. */
interface FakeVenue {
  version: number;
  products: Product[];
  stock: Record<string, number>;
}

function fakeDb(venues: Map<string, FakeVenue>): Queryable {
  return {
    query: async (q: unknown) => {
      const { values } = q as { values: [string] };
      const v = venues.get(values[0])!;
      return { rows: [{ version: String(v.version), stock: JSON.stringify(v.stock) }] } as never;
    },
  };
}

function rig() {
  const venues = new Map<string, FakeVenue>();
  const loads: string[] = [];
  const cache = new CatalogueCache(async (_db, venueId) => {
    loads.push(venueId);
    return venues.get(venueId)!.products.map((p) => ({ ...p }));
  }, (units) => Math.round(units * 1e8) / 1e8);
  const db = fakeDb(venues);
  const list = async (venueId: string) => JSON.parse((await cache.list(db, venueId)).json).items as Product[];
  return { venues, loads, cache, db, list };
}

describe('CatalogueCache', () => {
  it('loads a catalogue once, and writes a new reply only when the stock moves', async () => {
    const { venues, loads, cache, db, list } = rig();
    venues.set('v1', { version: 1, products: [product(A, 'Stout'), product(B, 'Lager')], stock: { [A]: 2, [B]: 3 } });

    const first = await cache.list(db, 'v1');
    expect(await cache.list(db, 'v1')).toBe(first);
    expect(loads).toEqual(['v1']);

    venues.get('v1')!.stock = { [A]: 1.98864, [B]: 3 };
    expect((await list('v1')).map((p) => p.stockUnits)).toEqual([1.98864, 3]);
    expect(loads).toEqual(['v1']);
  });

  it('reads the catalogue again when its version moves', async () => {
    const { venues, loads, list } = rig();
    venues.set('v1', { version: 1, products: [product(A, 'Stout')], stock: { [A]: 2 } });
    await list('v1');
    venues.set('v1', { version: 2, products: [product(A, 'Stout (nitro)')], stock: { [A]: 2 } });
    expect((await list('v1'))[0]!.name).toBe('Stout (nitro)');
    expect(loads).toEqual(['v1', 'v1']);
  });

  it('answers from a fresh read, and keeps nothing, when stock and catalogue disagree', async () => {
    const { venues, loads, list } = rig();
    venues.set('v1', { version: 1, products: [product(A, 'Stout')], stock: { [A]: 2, [B]: 5 } });
    expect((await list('v1')).map((p) => p.name)).toEqual(['Stout']);
    expect(loads).toEqual(['v1', 'v1']);
    venues.get('v1')!.stock = { [A]: 2 };
    await list('v1');
    expect(loads).toEqual(['v1', 'v1', 'v1']);
  });

  it(`keeps at most ${MAX_VENUES} venues, forgetting the least recently listed`, async () => {
    const { venues, loads, list } = rig();
    for (let i = 0; i <= MAX_VENUES; i += 1) venues.set(`v${i}`, { version: 1, products: [product(A, 'Stout')], stock: { [A]: 1 } });
    for (let i = 0; i < MAX_VENUES; i += 1) await list(`v${i}`);
    await list('v0');
    await list(`v${MAX_VENUES}`);
    loads.length = 0;
    await list('v0');
    await list('v1');
    expect(loads).toEqual(['v1']);
  });
});
