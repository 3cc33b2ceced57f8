/**
 * CatalogueCache with archived products: it keeps the whole catalogue (the
 * stock statement counts every product), answers the till's list without the
 * archived ones and the whole list with them, keeps each reply until the
 * stock or the catalogue moves, and loads the catalogue once for both.
 */
import { describe, expect, it } from '@jest/globals';
import type { ReplyOf } from '@barback/messaging';
import { CatalogueCache, type Queryable } from '@barback/back-end';

type Product = ReplyOf<'catalogue.listProducts'>['items'][number];

const AT = '2026-11-21T09:00:00.000Z';
const A = '00000000-0000-4000-8000-00000000000a';
const B = '00000000-0000-4000-8000-00000000000b';
function product(id: string, name: string, archived: boolean): Product {
  return {
    id, name, category: 'draught', abv: 4.2, vatClass: 'standard', unitMl: 50_000, unitCostCents: 15_000, parUnits: 2,
    fullWeightGrams: null, emptyWeightGrams: null, location: null,
    stockUnits: 0, sortOrder: 1, archived, servings: [], createdAt: AT, updatedAt: AT,
  };
}

function rig() {
  const venue = { version: 1, products: [product(A, 'Stout', false), product(B, 'Old Ale', true)], stock: { [A]: 2, [B]: 1 } as Record<string, number> };
  let loads = 0;
  const cache = new CatalogueCache(async () => {
    loads += 1;
    return venue.products.map((p) => ({ ...p }));
  }, (units) => units);
  const db: Queryable = { query: async () => ({ rows: [{ version: String(venue.version), stock: JSON.stringify(venue.stock) }] }) as never };
  const names = async (includeArchived?: boolean) =>
    (JSON.parse((await cache.list(db, 'v1', { includeArchived })).json) as { items: Product[] }).items.map((p) => p.name);
  return { venue, cache, db, names, loads: () => loads };
}

describe('CatalogueCache and archived products', () => {
  it('leaves archived products out of the till’s list and keeps them in the whole list, from one load', async () => {
    const { names, loads } = rig();
    expect(await names()).toEqual(['Stout']);
    expect(await names(true)).toEqual(['Stout', 'Old Ale']);
    expect(await names(false)).toEqual(['Stout']);
    expect(loads()).toBe(1);
  });

  it('keeps each reply until the stock moves, then writes both again with the new stock', async () => {
    const { venue, cache, db, loads } = rig();
    const sold = await cache.list(db, 'v1');
    const all = await cache.list(db, 'v1', { includeArchived: true });
    expect(await cache.list(db, 'v1')).toBe(sold);
    expect(await cache.list(db, 'v1', { includeArchived: true })).toBe(all);
    venue.stock = { [A]: 1.5, [B]: 1 };
    const soldAfter = await cache.list(db, 'v1');
    expect(soldAfter).not.toBe(sold);
    expect((JSON.parse(soldAfter.json) as { items: Product[] }).items[0]!.stockUnits).toBe(1.5);
    const allAfter = JSON.parse((await cache.list(db, 'v1', { includeArchived: true })).json) as { items: Product[] };
    expect(allAfter.items.map((p) => p.stockUnits)).toEqual([1.5, 1]);
    expect(loads()).toBe(1);
  });

  it('reads again when an archive moves the catalogue version', async () => {
    const { venue, names, loads } = rig();
    expect(await names()).toEqual(['Stout']);
    venue.version = 2;
    venue.products = [product(A, 'Stout', true), product(B, 'Old Ale', false)];
    expect(await names()).toEqual(['Old Ale']);
    expect(loads()).toBe(2);
  });
});
