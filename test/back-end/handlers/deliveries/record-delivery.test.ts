/**
 * Suppliers and deliveries (issue 17) through the real broker, workers and
 * database, with every figure worked by hand in the comments: per-line
 * rounding half up, VAT defaults by the invoice date, a credit note's
 * negative amounts and stock, the duplicate invoice (409), the cost change,
 * venue isolation and role refusals, and the events field by field.
 */
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { ReplyOf } from '@barback/messaging';
import { emittedDuring, envelope } from '../../../helpers/emitted.js';
import { auditRows, createProduct, createVenue, refusal, stockUnits, stoutBar, type Product, type StoutBar, type Venue } from '../../../helpers/venue.js';

let bar: StoutBar;
let primary: pg.Pool;
let other: Venue;
let crisps: Product;
let wine: Product;
let supplier: ReplyOf<'suppliers.createSupplier'>;

beforeAll(async () => {
  bar = await stoutBar('deliveries');
  primary = await bar.rig.primary();
  other = await createVenue(bar.rig, 'deliveries-other');
  // Crisps: counted in bags, reduced VAT class (13.5% until 30 June 2026, 9% from 1 July: migration 0002).
  crisps = await createProduct(bar.venue.manager, {
    name: `Crisps ${Date.now()}`,
    category: 'food',
    abv: 0,
    vatClass: 'reduced',
    unitMl: null,
    unitCostCents: 37,
    parUnits: 0,
    servings: [{ name: 'Bag', ml: null, priceCents: 200 }],
  });
  wine = await createProduct(bar.venue.manager, {
    name: `House red ${Date.now()}`,
    category: 'wine',
    abv: 13,
    unitMl: 750,
    unitCostCents: 900,
    parUnits: 0,
    servings: [{ name: 'Glass', ml: 187.5, priceCents: 800 }],
  });
  supplier = await bar.venue.manager.call('suppliers.createSupplier', { name: 'Dublin Drinks Ltd', vatNumber: 'IE1234567T', email: 'orders@dublindrinks.ie' });
});
afterAll(async () => {
  await bar?.rig.close();
});

describe('suppliers', () => {
  it('creates and lists suppliers; a second of the same name answers 409 naming name', async () => {
    expect(supplier).toMatchObject({ name: 'Dublin Drinks Ltd', vatNumber: 'IE1234567T', email: 'orders@dublindrinks.ie', phone: null });
    const again = await bar.venue.manager.error('suppliers.createSupplier', { name: 'dublin drinks ltd' });
    expect(again).toMatchObject({ code: 'BB_NAME_TAKEN', statusCode: 409, field: 'name' });
    const list = await bar.venue.manager.call('suppliers.listSuppliers', {});
    expect(list.items.map((s) => s.id)).toEqual([supplier.id]);
    // Another venue sees none of them.
    expect((await other.manager.call('suppliers.listSuppliers', {})).items).toEqual([]);
  });
});

describe('deliveries.recordDelivery', () => {
  it('prices each line on its own, half up, with VAT by class on the invoice date; stock in; cost updated and audited', async () => {
    const stockBefore = await stockUnits(bar.rig, bar.stout.id);
    const emitted = await emittedDuring(primary, bar.venue.venueId, () =>
      bar.venue.manager.call('deliveries.recordDelivery', {
        supplierId: supplier.id,
        invoiceNumber: 'INV-1001',
        invoiceDate: '2026-03-10',
        lines: [
          // 3 kegs × €152.50: net 45750; VAT 23%: 10522.5 → 10523.
          { productId: bar.stout.id, quantity: 3, unitCostCents: 15_250 },
          // 48 bags × 37c: net 1776; VAT 13.5% (before July 2026): 239.76 → 240.
          { productId: crisps.id, quantity: 48, unitCostCents: 37 },
          // 1.333 bottles × €9.99: 1331.667 → 1332; VAT 23% given: 306.36 → 306.
          { productId: wine.id, quantity: 1.333, unitCostCents: 999, vatRateBp: 2300 },
        ],
      }),
    );
    const delivery = emitted.result;
    expect(delivery).toMatchObject({
      supplierId: supplier.id,
      invoiceNumber: 'INV-1001',
      invoiceDate: '2026-03-10',
      kind: 'invoice',
      netCents: 48_858,
      vatCents: 11_069,
      grossCents: 59_927,
      recordedBy: { id: bar.venue.manager.staffId },
      lines: [
        { productId: bar.stout.id, quantity: 3, unitCostCents: 15_250, vatRateBp: 2300, netCents: 45_750, vatCents: 10_523 },
        { productId: crisps.id, quantity: 48, unitCostCents: 37, vatRateBp: 1350, netCents: 1776, vatCents: 240 },
        { productId: wine.id, quantity: 1.333, unitCostCents: 999, vatRateBp: 2300, netCents: 1332, vatCents: 306 },
      ],
    });
    expect(new Set(delivery.lines.map((l) => l.id)).size).toBe(3);
    expect(await stockUnits(bar.rig, bar.stout.id)).toBeCloseTo(stockBefore + 3, 8);
    expect(await stockUnits(bar.rig, crisps.id)).toBeCloseTo(48, 8);
    expect(await stockUnits(bar.rig, wine.id)).toBeCloseTo(1.333, 8);

    // Stout and wine changed cost, crisps did not: two costChanged events, then the delivery, field by field.
    expect(emitted.events.map((e) => e.type).sort()).toEqual(['delivery.recorded', 'product.costChanged', 'product.costChanged']);
    const recorded = envelope(emitted, emitted.events.find((e) => e.type === 'delivery.recorded'), {
      type: 'delivery.recorded',
      venueId: bar.venue.venueId,
      aggregateType: 'delivery',
      aggregateId: delivery.id,
    });
    expect(recorded).toEqual(delivery);
    expect(recorded).toEqual(await bar.venue.manager.call('deliveries.getDelivery', { id: delivery.id }));
    const stoutCost = envelope(emitted, emitted.events.find((e) => e.type === 'product.costChanged' && e.aggregateId === bar.stout.id), {
      type: 'product.costChanged',
      venueId: bar.venue.venueId,
      aggregateType: 'product',
      aggregateId: bar.stout.id,
    });
    expect(stoutCost).toEqual({ productId: bar.stout.id, name: bar.stout.name, oldUnitCostCents: 15_000, newUnitCostCents: 15_250 });
    const wineCost = emitted.events.find((e) => e.type === 'product.costChanged' && e.aggregateId === wine.id);
    expect(wineCost?.data).toEqual({ productId: wine.id, name: wine.name, oldUnitCostCents: 900, newUnitCostCents: 999 });

    expect((await bar.venue.manager.call('catalogue.getProduct', { id: bar.stout.id })).unitCostCents).toBe(15_250);
    const audit = (await auditRows(bar.rig, bar.venue.venueId, 'product.update')).filter((r) => r.entity_id === bar.stout.id);
    expect(audit.at(-1)).toMatchObject({
      staff_id: bar.venue.manager.staffId,
      reason: 'Delivered on invoice INV-1001 from Dublin Drinks Ltd',
      details: { product: bar.stout.name, unitCostCents: { from: 15_000, to: 15_250 }, deliveryId: delivery.id },
    });
  });

  it('takes the reduced rate in force on the invoice date (9% from July 2026) and rounds exact halves up', async () => {
    const delivery = await bar.venue.manager.call('deliveries.recordDelivery', {
      supplierId: supplier.id,
      invoiceNumber: 'INV-1002',
      invoiceDate: '2026-07-15',
      lines: [
        // 48 × 37 = 1776; VAT 9%: 159.84 → 160.
        { productId: crisps.id, quantity: 48, unitCostCents: 37 },
        // 0.5 × 100 = 50 exactly; VAT 23%: 11.5 → 12 (half up).
        { productId: bar.stout.id, quantity: 0.5, unitCostCents: 100 },
        // 0.005 × 100 = 0.5 → 1; VAT 23% of 1: 0.23 → 0.
        { productId: wine.id, quantity: 0.005, unitCostCents: 100 },
      ],
    });
    expect(delivery.lines.map((l) => [l.vatRateBp, l.netCents, l.vatCents])).toEqual([
      [900, 1776, 160],
      [2300, 50, 12],
      [2300, 1, 0],
    ]);
    expect([delivery.netCents, delivery.vatCents, delivery.grossCents]).toEqual([1827, 172, 1999]);
  });

  it('a credit note takes stock out with negative amounts and changes no cost', async () => {
    const before = await stockUnits(bar.rig, bar.stout.id);
    const cost = (await bar.venue.manager.call('catalogue.getProduct', { id: bar.stout.id })).unitCostCents;
    const emitted = await emittedDuring(primary, bar.venue.venueId, () =>
      bar.venue.manager.call('deliveries.recordDelivery', {
        supplierId: supplier.id,
        invoiceNumber: 'CN-77',
        invoiceDate: '2026-03-12',
        kind: 'creditNote',
        // A returned keg credited at €140.00: net −14000; VAT 23% −3220. Ullage of 0.125 keg at €152.50: −1906.25 → −1906; VAT −438.38 → −438.
        lines: [
          { productId: bar.stout.id, quantity: 1, unitCostCents: 14_000 },
          { productId: bar.stout.id, quantity: 0.125, unitCostCents: 15_250 },
        ],
      }),
    );
    expect(emitted.result).toMatchObject({
      kind: 'creditNote',
      netCents: -15_906,
      vatCents: -3658,
      grossCents: -19_564,
      lines: [
        { quantity: 1, netCents: -14_000, vatCents: -3220 },
        { quantity: 0.125, netCents: -1906, vatCents: -438 },
      ],
    });
    expect(emitted.events.map((e) => e.type)).toEqual(['delivery.recorded']);
    expect(await stockUnits(bar.rig, bar.stout.id)).toBeCloseTo(before - 1.125, 8);
    expect((await bar.venue.manager.call('catalogue.getProduct', { id: bar.stout.id })).unitCostCents).toBe(cost);
  });

  it('the same invoice number from the same supplier again answers 409 and writes nothing', async () => {
    const before = await stockUnits(bar.rig, crisps.id);
    const emitted = await emittedDuring(primary, bar.venue.venueId, () =>
      refusal(
        bar.venue.manager.call('deliveries.recordDelivery', {
          supplierId: supplier.id,
          invoiceNumber: ' inv-1001 ',
          invoiceDate: '2026-03-11',
          lines: [{ productId: crisps.id, quantity: 1, unitCostCents: 50 }],
        }),
      ),
    );
    expect(emitted.result).toMatchObject({ code: 'BB_CONFLICT', statusCode: 409, field: 'invoiceNumber' });
    expect(emitted.events).toEqual([]);
    expect(await stockUnits(bar.rig, crisps.id)).toBeCloseTo(before, 8);
    // Another supplier may use the same number.
    const second = await bar.venue.manager.call('suppliers.createSupplier', { name: 'Cork Crisps' });
    await bar.venue.manager.call('deliveries.recordDelivery', {
      supplierId: second.id,
      invoiceNumber: 'INV-1001',
      invoiceDate: '2026-03-11',
      lines: [{ productId: crisps.id, quantity: 1, unitCostCents: 37 }],
    });
  });

  it('refuses a quantity with more than 3 decimals, naming the line', async () => {
    const err = await bar.venue.manager.error('deliveries.recordDelivery', {
      supplierId: supplier.id,
      invoiceNumber: 'INV-BAD',
      invoiceDate: '2026-03-11',
      lines: [
        { productId: crisps.id, quantity: 1, unitCostCents: 37 },
        { productId: crisps.id, quantity: 0.0005, unitCostCents: 37 },
      ],
    });
    expect(err).toMatchObject({ statusCode: 400, field: 'lines.1.quantity' });
    // 0.3 is 0.299999… in binary, and still 3 decimals as typed.
    await bar.venue.manager.call('deliveries.recordDelivery', {
      supplierId: supplier.id,
      invoiceNumber: 'INV-0.3',
      invoiceDate: '2026-03-11',
      lines: [{ productId: wine.id, quantity: 0.3, unitCostCents: 999 }],
    });
  });

  it('another venue’s supplier, product and delivery are not found (404), like unknown ones', async () => {
    const theirs = await other.manager.call('suppliers.createSupplier', { name: 'Their supplier' });
    const theirProduct = await createProduct(other.manager);
    const line = { productId: crisps.id, quantity: 1, unitCostCents: 37 };
    expect(await bar.venue.manager.error('deliveries.recordDelivery', { supplierId: theirs.id, invoiceNumber: 'X1', invoiceDate: '2026-03-11', lines: [line] })).toMatchObject({
      statusCode: 404,
      field: 'supplierId',
    });
    expect(
      await bar.venue.manager.error('deliveries.recordDelivery', {
        supplierId: supplier.id,
        invoiceNumber: 'X2',
        invoiceDate: '2026-03-11',
        lines: [line, { ...line, productId: theirProduct.id }],
      }),
    ).toMatchObject({ statusCode: 404, field: 'lines.1.productId' });
    const mine = await bar.venue.manager.call('deliveries.listDeliveries', { limit: 1 });
    const id = mine.items[0]!.id;
    expect(await other.manager.error('deliveries.getDelivery', { id })).toMatchObject({ statusCode: 404, code: 'BB_NOT_FOUND' });
    expect(await bar.venue.manager.error('deliveries.getDelivery', { id: '0190f0c0-0000-7000-8000-000000000000' })).toMatchObject({ statusCode: 404 });
    expect((await other.manager.call('deliveries.listDeliveries', {})).items).toEqual([]);
  });

  it('bartenders may not record or see deliveries or suppliers (403)', async () => {
    const line = { productId: crisps.id, quantity: 1, unitCostCents: 37 };
    for (const [action, payload] of [
      ['deliveries.recordDelivery', { supplierId: supplier.id, invoiceNumber: 'B1', invoiceDate: '2026-03-11', lines: [line] }],
      ['deliveries.listDeliveries', {}],
      ['suppliers.createSupplier', { name: 'Bartender supplier' }],
      ['suppliers.listSuppliers', {}],
    ] as const) {
      expect(await bar.bartender.error(action, payload as never)).toMatchObject({ statusCode: 403 });
    }
  });
});

describe('deliveries.listDeliveries', () => {
  it('pages newest first with a cursor, within [from, to)', async () => {
    const all = await bar.venue.manager.call('deliveries.listDeliveries', {});
    expect(all.items.length).toBeGreaterThanOrEqual(5);
    expect(all.nextCursor).toBeNull();
    const first = await bar.venue.manager.call('deliveries.listDeliveries', { limit: 2 });
    const second = await bar.venue.manager.call('deliveries.listDeliveries', { limit: 2, cursor: first.nextCursor! });
    expect([...first.items, ...second.items].map((d) => d.id)).toEqual(all.items.slice(0, 4).map((d) => d.id));
    const newest = all.items[0]!;
    const window = await bar.venue.manager.call('deliveries.listDeliveries', { from: newest.recordedAt });
    expect(window.items.map((d) => d.id)).toContain(newest.id);
    expect((await bar.venue.manager.call('deliveries.listDeliveries', { to: all.items.at(-1)!.recordedAt })).items).toEqual([]);
    expect(await bar.venue.manager.error('deliveries.listDeliveries', { cursor: 'not-a-cursor' })).toMatchObject({ statusCode: 400, field: 'cursor' });
  });
});
