/**
 * Wastage (issue 17) through the real services: exactly one way of saying
 * how much, stock units exact from ml, the cost rounded once half up, the
 * reasons and the note `other` needs, the stock taken out, bartenders
 * recording it and managers listing it, venue isolation and the event.
 */
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { emittedDuring, onlyEvent } from '../../../helpers/emitted.js';
import { createProduct, createVenue, stockUnits, stoutBar, type Product, type StoutBar, type Venue } from '../../../helpers/venue.js';

let bar: StoutBar;
let primary: pg.Pool;
let other: Venue;
let wine: Product;

beforeAll(async () => {
  // The stout: 50 l kegs at €150.00 a keg (15000c), pint 568 ml.
  bar = await stoutBar('wastage');
  primary = await bar.rig.primary();
  other = await createVenue(bar.rig, 'wastage-other');
  wine = await createProduct(bar.venue.manager, {
    name: `House white ${Date.now()}`,
    category: 'wine',
    abv: 12,
    unitMl: 750,
    unitCostCents: 899,
    parUnits: 0,
    servings: [{ name: 'Glass', ml: 187.5, priceCents: 800 }],
  });
});
afterAll(async () => {
  await bar?.rig.close();
});

describe('wastage.recordWastage', () => {
  it('a spilled pint, from the till: 568/50000 = 0.01136 of a keg, 0.01136 × 15000 = 170.4 → 170c; emits wastage.recorded', async () => {
    const before = await stockUnits(bar.rig, bar.stout.id);
    const emitted = await emittedDuring(primary, bar.venue.venueId, () =>
      bar.bartender.call('wastage.recordWastage', { productId: bar.stout.id, reason: 'spillage', servingId: bar.pintId, servings: 1 }),
    );
    const w = emitted.result;
    expect(w).toEqual({
      id: expect.any(String),
      productId: bar.stout.id,
      stockUnits: 0.01136,
      costCents: 170,
      reason: 'spillage',
      note: null,
      recordedAt: expect.any(String),
      recordedBy: { id: bar.bartender.staffId, name: bar.bartender.session.staff.name },
    });
    const data = onlyEvent(emitted, { type: 'wastage.recorded', venueId: bar.venue.venueId, aggregateType: 'wastage', aggregateId: w.id });
    expect(data).toEqual(w);
    expect(await stockUnits(bar.rig, bar.stout.id)).toBeCloseTo(before - 0.01136, 8);
  });

  it('by ml, by units and by servings: exact units, one rounding of the cost', async () => {
    const m = bar.venue.manager;
    // Line cleaning, 1,250 ml: 0.025 keg × 15000 = 375c.
    expect(await m.call('wastage.recordWastage', { productId: bar.stout.id, reason: 'line_cleaning', ml: 1250 })).toMatchObject({ stockUnits: 0.025, costCents: 375 });
    // A broken bottle: 1 × 899c.
    expect(await m.call('wastage.recordWastage', { productId: wine.id, reason: 'breakage', units: 1 })).toMatchObject({ stockUnits: 1, costCents: 899 });
    // Three glasses out of date: 3 × 187.5/750 = 0.75 bottle × 899 = 674.25 → 674c.
    expect(await m.call('wastage.recordWastage', { productId: wine.id, reason: 'out_of_date', servingId: wine.servings[0]!.id, servings: 3 })).toMatchObject({
      stockUnits: 0.75,
      costCents: 674,
    });
    // 100 ml: 100/750 = 0.1333… (8 places kept) × 899 = 119.8666… → 120c, from the unrounded units.
    const third = await m.call('wastage.recordWastage', { productId: wine.id, reason: 'complimentary', ml: 100 });
    expect(third.stockUnits).toBeCloseTo(0.13333333, 8);
    expect(third.costCents).toBe(120);
    // Half a pint of a ml: 0.5 × 0.01136 keg... as ml: 284 ml → 0.00568 × 15000 = 85.2 → 85c.
    expect(await m.call('wastage.recordWastage', { productId: bar.stout.id, reason: 'returned_by_customer', ml: 284 })).toMatchObject({ costCents: 85 });
  });

  it('refuses anything but exactly one way of saying how much, other without a note, and ml of a product counted in units', async () => {
    const b = bar.bartender;
    expect(await b.error('wastage.recordWastage', { productId: bar.stout.id, reason: 'spillage' })).toMatchObject({ statusCode: 400, field: 'ml' });
    expect(await b.error('wastage.recordWastage', { productId: bar.stout.id, reason: 'spillage', ml: 10, units: 1 })).toMatchObject({ statusCode: 400 });
    expect(await b.error('wastage.recordWastage', { productId: bar.stout.id, reason: 'spillage', servings: 2 })).toMatchObject({ statusCode: 400, field: 'servingId' });
    expect(await b.error('wastage.recordWastage', { productId: bar.stout.id, reason: 'other', ml: 10 })).toMatchObject({ statusCode: 400, field: 'note' });
    expect(await b.error('wastage.recordWastage', { productId: bar.stout.id, reason: 'spillage', units: 0.0001 })).toMatchObject({ statusCode: 400, field: 'units' });
    expect(await b.call('wastage.recordWastage', { productId: bar.stout.id, reason: 'other', ml: 10, note: 'Tap left open' })).toMatchObject({ note: 'Tap left open' });
    const crisps = await createProduct(bar.venue.manager, {
      name: `Crisps ${Date.now()}`, category: 'food', abv: 0, vatClass: 'reduced', unitMl: null, unitCostCents: 37, parUnits: 0,
      servings: [{ name: 'Bag', ml: null, priceCents: 200 }],
    });
    expect(await b.error('wastage.recordWastage', { productId: crisps.id, reason: 'out_of_date', ml: 30 })).toMatchObject({ statusCode: 400, field: 'ml' });
    // A serving without ml draws one unit, as a sale does.
    expect(await b.call('wastage.recordWastage', { productId: crisps.id, reason: 'out_of_date', servingId: crisps.servings[0]!.id, servings: 2 })).toMatchObject({
      stockUnits: 2,
      costCents: 74,
    });
  });

  it('another venue’s product or another product’s serving is not found (404)', async () => {
    const theirs = await createProduct(other.manager);
    expect(await bar.bartender.error('wastage.recordWastage', { productId: theirs.id, reason: 'spillage', ml: 10 })).toMatchObject({ statusCode: 404, field: 'productId' });
    expect(await bar.bartender.error('wastage.recordWastage', { productId: wine.id, reason: 'spillage', servingId: bar.pintId })).toMatchObject({
      statusCode: 404,
      field: 'servingId',
    });
    expect(await other.manager.error('wastage.recordWastage', { productId: bar.stout.id, reason: 'spillage', ml: 10 })).toMatchObject({ statusCode: 404 });
    expect((await other.manager.call('wastage.listWastage', {})).items).toEqual([]);
  });
});

describe('wastage.listWastage', () => {
  it('managers only; filters by reason and period, newest first, a page at a time', async () => {
    expect(await bar.bartender.error('wastage.listWastage', {})).toMatchObject({ statusCode: 403 });
    const all = await bar.venue.manager.call('wastage.listWastage', {});
    expect(all.items.length).toBeGreaterThanOrEqual(8);
    const spills = await bar.venue.manager.call('wastage.listWastage', { reason: 'spillage' });
    expect(spills.items.map((w) => w.reason)).toEqual(['spillage']);
    const first = await bar.venue.manager.call('wastage.listWastage', { limit: 3 });
    const second = await bar.venue.manager.call('wastage.listWastage', { limit: 3, cursor: first.nextCursor! });
    expect([...first.items, ...second.items].map((w) => w.id)).toEqual(all.items.slice(0, 6).map((w) => w.id));
    const oldest = all.items.at(-1)!;
    expect((await bar.venue.manager.call('wastage.listWastage', { to: oldest.recordedAt })).items).toEqual([]);
    expect((await bar.venue.manager.call('wastage.listWastage', { from: oldest.recordedAt })).items).toHaveLength(all.items.length);
  });
});
