/**
 * The variance report (issue 17) of a small week worked by hand, through the
 * real services: an opening stocktake (tenths and a weight), an invoice and a
 * credit note, sales, a voided tab line, a refund, line cleaning and a broken
 * bottle, a sale rung after the closing count, and the closing stocktake with
 * an uncounted product taken at the system's figure; and the faults a
 * manager checks first (sold but never delivered or counted, taken at the
 * system's figure, a draught serving of no ml, an invoice dated after the
 * count). Every figure below is worked in the comments, to the cent and the
 * 0.001 unit.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { ReplyOf } from '@barback/messaging';
import { createProduct, createVenue, serving, startRig, stockUnits, type Product, type Rig, type Venue } from '../../../helpers/venue.js';

let rig: Rig;
let venue: Venue;
let stout: Product;
let wine: Product;
let crisps: Product;
let cider: Product;
let report: ReplyOf<'stocktakes.getVarianceReport'>;
let closing: ReplyOf<'stocktakes.closeStocktake'>;

beforeAll(async () => {
  rig = await startRig();
  venue = await createVenue(rig, 'variance');
  const m = venue.manager;
  // Stout: 50 l kegs at €150.00, a pint (568 ml = 0.01136 keg) €5.60, VAT 23%.
  stout = await createProduct(m, { parUnits: 0 });
  // Wine: 750 ml bottles at €9.00, 1,250 g full, 500 g empty; a glass of 187.5 ml (0.25 bottle) €8.00.
  wine = await createProduct(m, {
    name: `House red ${Date.now()}`, category: 'wine', abv: 13, unitMl: 750, unitCostCents: 900, parUnits: 0,
    fullWeightGrams: 1250, emptyWeightGrams: 500, servings: [{ name: 'Glass', ml: 187.5, priceCents: 800 }],
  });
  // Crisps: bags at 37c, €2.00 a bag, standard VAT; never delivered, never counted.
  crisps = await createProduct(m, {
    name: `Crisps ${Date.now()}`, category: 'food', abv: 0, unitMl: null, unitCostCents: 37, parUnits: 0, servings: [{ name: 'Bag', ml: null, priceCents: 200 }],
  });
  // A draught lemonade (no alcohol, so no minimum price) with a jug of no ml: each jug would draw a whole keg (a fault to flag, not a loss to blame).
  cider = await createProduct(m, { name: `Keg lemonade ${Date.now()}`, abv: 0, parUnits: 0, servings: [{ name: 'Pint', ml: 568, priceCents: 600 }, { name: 'Jug', ml: null, priceCents: 1800 }] });
  const pint = serving(stout, 'Pint').id;
  const glass = wine.servings[0]!.id;
  const bag = crisps.servings[0]!.id;

  // Opening count: stout 2 kegs + 5 tenths = 2.5; wine 6 + (875 − 500) / 750 = 6.5; crisps uncounted (0 expected).
  const opening = await m.call('stocktakes.startStocktake', {});
  await m.call('stocktakes.recordCount', { stocktakeId: opening.id, productId: stout.id, fullUnits: 2, partialTenths: 5 });
  await m.call('stocktakes.recordCount', { stocktakeId: opening.id, productId: wine.id, fullUnits: 6, partialGrams: 875 });
  await m.call('stocktakes.closeStocktake', { stocktakeId: opening.id, uncounted: 'expected' });

  // The week. An invoice: 2 kegs at €152.50 (the stout's cost becomes 15250) and 12 bottles at €9.00.
  const supplier = await m.call('suppliers.createSupplier', { name: 'Cellar Supplies' });
  await m.call('deliveries.recordDelivery', {
    supplierId: supplier.id, invoiceNumber: 'A-1', invoiceDate: '2026-03-02',
    lines: [{ productId: stout.id, quantity: 2, unitCostCents: 15_250 }, { productId: wine.id, quantity: 12, unitCostCents: 900 }],
  });
  // A credit note: half a keg of ullage back. Delivered stout: 2 − 0.5 = 1.5.
  await m.call('deliveries.recordDelivery', {
    supplierId: supplier.id, invoiceNumber: 'CN-1', invoiceDate: '2026-03-03', kind: 'creditNote',
    lines: [{ productId: stout.id, quantity: 0.5, unitCostCents: 15_250 }],
  });
  // Sale A: 10 pints (5600, VAT 5600 × 23/123 = 1047.15 → 1047, net 4553) and 4 glasses (3200, VAT 598.37 → 598, net 2602).
  const saleA = await m.call('sales.recordSale', { lines: [{ servingId: pint, quantity: 10 }, { servingId: glass, quantity: 4 }], payments: [{ method: 'card', amountCents: 8800 }] });
  // The glasses refunded: money back, no drink back; the sale's units and net stay in the report.
  await m.call('sales.refundSale', { saleId: saleA.id, reason: 'Corked', lineIds: [saleA.lines.find((l) => l.servingId === glass)!.id] });
  // A tab: 2 pints (1120, VAT 209.43 → 209, net 911) and a glass voided (its draw returned, not sold).
  const tab = await m.call('till.openTab', { name: 'Table 4' });
  await m.call('till.addTabLine', { tabId: tab.id, servingId: pint, quantity: 2 });
  const withGlass = await m.call('till.addTabLine', { tabId: tab.id, servingId: glass, quantity: 1 });
  await m.call('till.voidTabLine', { tabId: tab.id, lineId: withGlass.lines.find((l) => l.servingId === glass)!.id, reason: 'Wrong table' });
  await m.call('till.closeTab', { tabId: tab.id, payments: [{ method: 'cash', amountCents: 1120 }] });
  // Sale C: 3 bags (600, VAT 112.20 → 112, net 488).
  await m.call('sales.recordSale', { lines: [{ servingId: bag, quantity: 3 }], payments: [{ method: 'cash', amountCents: 600 }] });
  // A keg of lemonade on an invoice dated after the count (a slip of the date or next week's delivery): flagged.
  await m.call('deliveries.recordDelivery', {
    supplierId: supplier.id, invoiceNumber: 'A-2', invoiceDate: '2099-01-01', lines: [{ productId: cider.id, quantity: 1, unitCostCents: 15_000 }],
  });
  // Line cleaning 1,250 ml = 0.025 keg; a broken bottle.
  await m.call('wastage.recordWastage', { productId: stout.id, reason: 'line_cleaning', ml: 1250 });
  await m.call('wastage.recordWastage', { productId: wine.id, reason: 'breakage', units: 1 });

  // Closing count. Stout: 3 kegs + 7 tenths = 3.7; wine: 16 + (687 − 500) / 750 = 16.24933333.
  const stocktake = await m.call('stocktakes.startStocktake', {});
  // A pint rung after countedAt: after the period, and still drawn after the count.
  await m.call('sales.recordSale', { lines: [{ servingId: pint, quantity: 1 }], payments: [{ method: 'card', amountCents: 560 }] });
  await m.call('stocktakes.recordCount', { stocktakeId: stocktake.id, productId: stout.id, fullUnits: 3, partialTenths: 7 });
  await m.call('stocktakes.recordCount', { stocktakeId: stocktake.id, productId: wine.id, fullUnits: 16, partialGrams: 687 });
  closing = await m.call('stocktakes.closeStocktake', { stocktakeId: stocktake.id, uncounted: 'expected' });
  // A cost changed after the count does not price it.
  await m.call('catalogue.updateProduct', { id: stout.id, unitCostCents: 16_000 });
  report = await m.call('stocktakes.getVarianceReport', { id: stocktake.id });
});
afterAll(async () => {
  await rig?.close();
});

const line = (productId: string) => {
  const found = report.lines.find((l) => l.productId === productId);
  if (!found) throw new Error(`no line for ${productId}`);
  return found;
};

describe('stocktakes.closeStocktake', () => {
  it('sets stock to the count as of countedAt: the pint rung after it still counts after it', async () => {
    // Stout expected at countedAt: 2.5 + 1.5 − 0.025 − 12 × 0.01136 = 3.83868; counted 3.7; now 3.7 − 0.01136.
    const counted = new Map(closing.counts.map((c) => [c.productId, c]));
    expect(counted.get(stout.id)!.expectedUnits).toBeCloseTo(3.83868, 8);
    expect(counted.get(stout.id)!.countedUnits).toBeCloseTo(3.7, 8);
    expect(await stockUnits(rig, stout.id)).toBeCloseTo(3.68864, 8);
    // Crisps: −3 expected (sold, never delivered), taken as counted.
    expect(counted.get(crisps.id)).toMatchObject({ fromExpected: true, countedUnits: -3, expectedUnits: -3 });
  });
});

describe('stocktakes.getVarianceReport', () => {
  it('works out the stout to the cent and the 0.001 unit, with pints', () => {
    const s = line(stout.id);
    expect(s).toMatchObject({ name: stout.name, category: 'draught', unitMl: 50_000, unitCostCents: 15_250, closingFromExpected: false });
    expect(s.openingUnits).toBeCloseTo(2.5, 3);
    expect(s.deliveredUnits).toBeCloseTo(1.5, 3);
    expect(s.wastedUnits).toBeCloseTo(0.025, 3);
    expect(s.closingUnits).toBeCloseTo(3.7, 3);
    // used = 2.5 + 1.5 − 0.025 − 3.7 = 0.275; sold = 12 pints = 0.13632; variance = −0.13868.
    expect(s.usedUnits).toBeCloseTo(0.275, 3);
    expect(s.soldUnits).toBeCloseTo(0.13632, 5);
    expect(s.varianceUnits).toBeCloseTo(-0.13868, 5);
    // −0.13868 × 15250 = −2114.87 → −2115; 4553 + 911 = 5464 net; −0.13868 / 0.13632 × 5464 = −5558.59 → −5559.
    expect(s.varianceCostCents).toBe(-2115);
    expect(s.salesNetCents).toBe(5464);
    expect(s.varianceRetailCents).toBe(-5559);
    // −0.13868 / 0.275 × 100 = −50.429 → −50.4; 0.275 × 15250 = 4193.75 → 4194.
    expect(s.variancePercent).toBe(-50.4);
    expect(s.costOfSalesCents).toBe(4194);
    // In pints: −0.13868 × 50000 / 568 = −12.2077; 0.275 × 50000 / 568 = 24.2077.
    expect(s.variancePints).toBeCloseTo(-12.2077, 3);
    expect(s.usedPints).toBeCloseTo(24.2077, 3);
  });

  it('works out the wine (a weight, a refund, a void, a breakage) and the crisps taken at the system’s figure', () => {
    const w = line(wine.id);
    // opening 6.5, delivered 12, wasted 1, closing 16.24933333 → used 1.25066667; sold 4 glasses = 1 (the voided glass went back).
    expect(w.openingUnits).toBeCloseTo(6.5, 3);
    expect(w.deliveredUnits).toBeCloseTo(12, 3);
    expect(w.wastedUnits).toBeCloseTo(1, 3);
    expect(w.closingUnits).toBeCloseTo(16.249, 3);
    expect(w.usedUnits).toBeCloseTo(1.251, 3);
    expect(w.soldUnits).toBeCloseTo(1, 3);
    expect(w.varianceUnits).toBeCloseTo(-0.251, 3);
    // −0.25066667 × 900 = −225.6 → −226; × 2602 / 1 = −652.23 → −652; / 1.25066667 = −20.04% → −20.0; 1.25066667 × 900 = 1125.6 → 1126.
    expect(w).toMatchObject({ varianceCostCents: -226, salesNetCents: 2602, varianceRetailCents: -652, variancePercent: -20, costOfSalesCents: 1126, variancePints: null });
    // Crisps: opening 0, closing −3 (the system's), used 3 = sold 3: no variance; 3 × 37 = 111.
    const c = line(crisps.id);
    expect(c).toMatchObject({ openingUnits: 0, deliveredUnits: 0, closingUnits: -3, usedUnits: 3, soldUnits: 3, varianceUnits: 0, varianceCostCents: 0, varianceRetailCents: 0 });
    expect(c).toMatchObject({ salesNetCents: 488, costOfSalesCents: 111, variancePercent: 0, closingFromExpected: true });
  });

  it('sorts biggest loss at cost first, totals the lines, and flags the faults', () => {
    // Stout and wine lost; crisps and cider (nothing moved) tie at 0, by name.
    expect(report.lines.map((l) => l.productId)).toEqual([stout.id, wine.id, ...[crisps, cider].sort((a, b) => a.name.localeCompare(b.name)).map((p) => p.id)]);
    // −2115 − 226 + 0; −5559 − 652 + 0; 5464 + 2602 + 488 = 8554; 4194 + 1126 + 111 = 5431; 5431 / 8554 = 63.49% → 63.5.
    expect(report.totals).toEqual({ varianceCostCents: -2341, varianceRetailCents: -6211, salesNetCents: 8554, costOfSalesCents: 5431, pourCostPercent: 63.5 });
    expect(report.to).toBe(closing.countedAt);
    expect(Date.parse(report.from)).toBeLessThan(Date.parse(report.to));
    const faults = report.faults.map((f) => [f.kind, f.productId]);
    expect(faults).toEqual(
      expect.arrayContaining([
        ['soldNeverDeliveredOrCounted', crisps.id],
        ['uncountedTakenAsExpected', crisps.id],
        ['servingWithoutMl', cider.id],
      ]),
    );
    expect(report.faults.filter((f) => f.kind === 'deliveryAfterCount').map((f) => f.message)).toEqual([
      'Invoice A-2 from Cellar Supplies is dated 2099-01-01, after the count, but its stock went in before it.',
    ]);
    // Only the draught with a jug of no ml: the crisps' bag rightly draws a whole unit.
    expect(faults.filter(([kind]) => kind === 'servingWithoutMl')).toEqual([['servingWithoutMl', cider.id]]);
    // The counts are within 50% of what was expected: not flagged.
    expect(faults.filter(([kind]) => kind === 'countFarFromExpected')).toEqual([]);
  });
});
