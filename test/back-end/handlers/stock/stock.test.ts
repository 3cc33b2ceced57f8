/**
 * The reorder list and a product's stock moves (issue 17) through the real
 * services: what is below par, grouped by the supplier of its last invoice,
 * with ceil(par − on hand) to order and its cost; every movement with its
 * cause, who, when and the running balance, a page at a time; venue
 * isolation and role refusals.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { ReplyOf } from '@barback/messaging';
import { asBartender, createProduct, createVenue, serving, startRig, type Caller, type Product, type Rig, type Venue } from '../../../helpers/venue.js';

let rig: Rig;
let venue: Venue;
let bartender: Caller;
let other: Venue;
let stout: Product;
let wine: Product;
let delivery: ReplyOf<'deliveries.recordDelivery'>;

beforeAll(async () => {
  rig = await startRig();
  venue = await createVenue(rig, 'stock');
  bartender = await asBartender(venue);
  other = await createVenue(rig, 'stock-other');
  const m = venue.manager;
  // Stout: par 2 kegs at €150.00. Wine: par 3 bottles at €9.00, never delivered. Crisps: par 0, never listed.
  stout = await createProduct(m, { parUnits: 2 });
  wine = await createProduct(m, {
    name: `House white ${Date.now()}`, category: 'wine', abv: 12, unitMl: 750, unitCostCents: 900, parUnits: 3,
    servings: [{ name: 'Glass', ml: 187.5, priceCents: 800 }],
  });
  await createProduct(m, { name: `Crisps ${Date.now()}`, category: 'food', abv: 0, unitMl: null, unitCostCents: 37, parUnits: 0, servings: [{ name: 'Bag', ml: null, priceCents: 200 }] });
  // An archived product below par is not reordered.
  const old = await createProduct(m, { name: `Old ale ${Date.now()}`, parUnits: 5 });
  await m.call('catalogue.archiveProduct', { id: old.id });
  const supplier = await m.call('suppliers.createSupplier', { name: 'Brewery Direct', email: 'orders@brewery.ie' });
  // One keg in at €150.00; a pint (0.01136) sold; line cleaning 1,250 ml (0.025) by the bartender.
  delivery = await m.call('deliveries.recordDelivery', {
    supplierId: supplier.id, invoiceNumber: 'B-1', invoiceDate: '2026-03-02', lines: [{ productId: stout.id, quantity: 1, unitCostCents: 15_000 }],
  });
  await bartender.call('sales.recordSale', { lines: [{ servingId: serving(stout, 'Pint').id, quantity: 1 }], payments: [{ method: 'card', amountCents: 560 }] });
  await bartender.call('wastage.recordWastage', { productId: stout.id, reason: 'line_cleaning', ml: 1250 });
});
afterAll(async () => {
  await rig?.close();
});

/** The product's moves once the fold (250 ms after a write) has put all `count` of them in the ledger. */
async function movesOnceFolded(productId: string, count: number): Promise<ReplyOf<'stock.listStockMoves'>> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const page = await venue.manager.call('stock.listStockMoves', { productId });
    if (page.items.length >= count || Date.now() > deadline) return page;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('stock.getReorderList', () => {
  it('lists products below par by their last supplier, never delivered last, with whole units to order and their cost', async () => {
    expect(await bartender.error('stock.getReorderList', {})).toMatchObject({ statusCode: 403 });
    const list = await venue.manager.call('stock.getReorderList', {});
    // Stout: 1 − 0.01136 − 0.025 = 0.96364 on hand; par 2 → ceil(1.03636) = 2 kegs × 15000 = 30000.
    // Wine: 0 on hand; par 3 → 3 × 900 = 2700.
    expect(list).toEqual({
      groups: [
        {
          supplier: { id: delivery.supplierId, name: 'Brewery Direct', email: 'orders@brewery.ie', phone: null },
          lines: [
            {
              productId: stout.id, name: stout.name, category: 'draught', stockUnits: expect.closeTo(0.96364, 8) as unknown as number,
              parUnits: 2, orderUnits: 2, unitCostCents: 15_000, costCents: 30_000,
            },
          ],
          costCents: 30_000,
        },
        {
          supplier: null,
          lines: [{ productId: wine.id, name: wine.name, category: 'wine', stockUnits: 0, parUnits: 3, orderUnits: 3, unitCostCents: 900, costCents: 2700 }],
          costCents: 2700,
        },
      ],
      costCents: 32_700,
    });
    expect(await other.manager.call('stock.getReorderList', {})).toEqual({ groups: [], costCents: 0 });
  });
});

describe('stock.listStockMoves', () => {
  it('lists every movement newest first with cause, who, when and the running balance, a page at a time', async () => {
    const all = await movesOnceFolded(stout.id, 3);
    expect(all.items).toEqual([
      { id: expect.any(String), units: -0.025, balanceUnits: expect.closeTo(0.96364, 8), cause: 'wastage', refId: expect.any(String), staff: { id: bartender.staffId, name: bartender.session.staff.name }, at: expect.any(String) },
      { id: expect.any(String), units: -0.01136, balanceUnits: expect.closeTo(0.98864, 8), cause: 'sale', refId: null, staff: null, at: expect.any(String) },
      { id: expect.any(String), units: 1, balanceUnits: 1, cause: 'delivery', refId: delivery.id, staff: { id: venue.manager.staffId, name: venue.manager.session.staff.name }, at: delivery.recordedAt },
    ]);
    expect(all.nextCursor).toBeNull();
    const first = await venue.manager.call('stock.listStockMoves', { productId: stout.id, limit: 2 });
    expect(first.items.map((m) => m.id)).toEqual(all.items.slice(0, 2).map((m) => m.id));
    const second = await venue.manager.call('stock.listStockMoves', { productId: stout.id, limit: 2, cursor: first.nextCursor! });
    expect(second).toEqual({ items: [all.items[2]], nextCursor: null });
  });

  it('is for managers, and another venue’s product is not found', async () => {
    expect(await bartender.error('stock.listStockMoves', { productId: stout.id })).toMatchObject({ statusCode: 403 });
    expect(await other.manager.error('stock.listStockMoves', { productId: stout.id })).toMatchObject({ statusCode: 404, field: 'productId' });
  });
});
