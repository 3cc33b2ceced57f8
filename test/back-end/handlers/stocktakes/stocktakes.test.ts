/**
 * Stocktakes (issue 17) through the real broker, workers and database:
 * product weights, one open stocktake per venue, counts as tenths or weights
 * (again: replaces; twice with one request id: once; two at once: one row),
 * the close that refuses uncounted products unless told and sets stock to the
 * count as of countedAt, the events, venue isolation and role refusals.
 */
import type pg from 'pg';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { emittedDuring, envelope } from '../../../helpers/emitted.js';
import { asBartender, createProduct, createVenue, startRig, stockUnits, type Caller, type Product, type Rig, type Venue } from '../../../helpers/venue.js';

let rig: Rig;
let primary: pg.Pool;
let venue: Venue;
let bartender: Caller;
let other: Venue;
let stout: Product;
let wine: Product;

beforeAll(async () => {
  rig = await startRig();
  primary = await rig.primary();
  venue = await createVenue(rig, 'stocktakes');
  bartender = await asBartender(venue);
  other = await createVenue(rig, 'stocktakes-other');
  // 50 l kegs at €150.00; a pint 568 ml.
  stout = await createProduct(venue.manager, { parUnits: 0 });
  // 750 ml bottles weighing 1,250 g full and 500 g empty.
  wine = await createProduct(venue.manager, {
    name: `House red ${Date.now()}`,
    category: 'wine',
    abv: 13,
    unitMl: 750,
    unitCostCents: 900,
    parUnits: 0,
    fullWeightGrams: 1250,
    emptyWeightGrams: 500,
    servings: [{ name: 'Glass', ml: 187.5, priceCents: 800 }],
  });
});
afterAll(async () => {
  await rig?.close();
});

describe('product weights', () => {
  it('are taken by createProduct and updateProduct, returned with the product, and full must be above empty', async () => {
    expect(wine).toMatchObject({ fullWeightGrams: 1250, emptyWeightGrams: 500 });
    expect(stout).toMatchObject({ fullWeightGrams: null, emptyWeightGrams: null });
    const m = venue.manager;
    expect(await m.error('catalogue.updateProduct', { id: stout.id, fullWeightGrams: 13_000, emptyWeightGrams: 13_000 })).toMatchObject({
      statusCode: 400,
      field: 'emptyWeightGrams',
    });
    // Only empty given: checked against the full weight already there.
    expect(await m.error('catalogue.updateProduct', { id: wine.id, emptyWeightGrams: 1300 })).toMatchObject({ statusCode: 400, field: 'emptyWeightGrams' });
    expect(await m.error('catalogue.createProduct', { ...productLike(), fullWeightGrams: 100, emptyWeightGrams: 200 })).toMatchObject({
      statusCode: 400,
      field: 'emptyWeightGrams',
    });
    const updated = await m.call('catalogue.updateProduct', { id: stout.id, fullWeightGrams: 63_000, emptyWeightGrams: 13_000 });
    expect(updated).toMatchObject({ fullWeightGrams: 63_000, emptyWeightGrams: 13_000 });
    expect(await m.call('catalogue.getProduct', { id: stout.id })).toMatchObject({ fullWeightGrams: 63_000, emptyWeightGrams: 13_000 });
  });
});

function productLike() {
  return {
    name: `Lager ${Date.now()}`,
    category: 'draught' as const,
    abv: 4,
    vatClass: 'standard' as const,
    unitMl: 50_000,
    unitCostCents: 14_000,
    parUnits: 0,
    servings: [{ name: 'Pint', ml: 568, priceCents: 550 }],
  };
}

describe('a stocktake from start to close', () => {
  it('starts once (409 while open), counts by tenths and weights, and closes only when told what to do with the uncounted', async () => {
    const m = venue.manager;
    expect(await bartender.error('stocktakes.startStocktake', {})).toMatchObject({ statusCode: 403 });
    const stockBefore = await stockUnits(rig, stout.id);

    const started = await emittedDuring(primary, venue.venueId, () => m.call('stocktakes.startStocktake', {}));
    const st = started.result;
    expect(st).toMatchObject({ status: 'open', closedAt: null, closedBy: null, counts: [], startedBy: { id: m.staffId } });
    expect(st.uncounted.map((u) => u.productId).sort()).toEqual([stout.id, wine.id].sort());
    expect(envelope(started, started.events[0], { type: 'stocktake.started', venueId: venue.venueId, aggregateType: 'stocktake', aggregateId: st.id })).toEqual(st);
    expect(started.events).toHaveLength(1);
    expect(await m.error('stocktakes.startStocktake', {})).toMatchObject({ statusCode: 409 });

    // 3 kegs and a partial weighing 38,000 g: (38000 − 13000) / (63000 − 13000) = 0.5 → 3.5; first counted as 2 and 3 tenths, then again.
    expect(await bartender.call('stocktakes.recordCount', { stocktakeId: st.id, productId: stout.id, fullUnits: 2, partialTenths: 3 })).toMatchObject({
      countedUnits: 2.3,
      partialTenths: 3,
      partialGrams: null,
    });
    const recount = await emittedDuring(primary, venue.venueId, () =>
      bartender.call('stocktakes.recordCount', { stocktakeId: st.id, productId: stout.id, fullUnits: 3, partialGrams: 38_000 }),
    );
    expect(recount.result).toEqual({
      stocktakeId: st.id,
      productId: stout.id,
      name: stout.name,
      category: 'draught',
      fullUnits: 3,
      partialTenths: null,
      partialGrams: 38_000,
      countedUnits: 3.5,
      fromExpected: false,
      expectedUnits: null,
      countedBy: { id: bartender.staffId, name: bartender.session.staff.name },
      recordedAt: expect.any(String),
    });
    expect(envelope(recount, recount.events[0], { type: 'stocktake.counted', venueId: venue.venueId, aggregateType: 'stocktake', aggregateId: st.id })).toEqual(
      recount.result,
    );

    // Refusals of a count: both partials, a weight outside empty..full, a product with no weights by weight.
    expect(await bartender.error('stocktakes.recordCount', { stocktakeId: st.id, productId: wine.id, fullUnits: 1, partialTenths: 1, partialGrams: 600 })).toMatchObject({
      statusCode: 400,
      field: 'partialGrams',
    });
    expect(await bartender.error('stocktakes.recordCount', { stocktakeId: st.id, productId: wine.id, fullUnits: 1, partialGrams: 1251 })).toMatchObject({
      statusCode: 400,
      field: 'partialGrams',
    });
    const crisps = await createProduct(m, {
      name: `Crisps ${Date.now()}`, category: 'food', abv: 0, unitMl: null, unitCostCents: 37, parUnits: 0, servings: [{ name: 'Bag', ml: null, priceCents: 200 }],
    });
    expect(await bartender.error('stocktakes.recordCount', { stocktakeId: st.id, productId: crisps.id, fullUnits: 1, partialGrams: 10 })).toMatchObject({
      statusCode: 400,
      field: 'partialGrams',
    });

    // Wine: 4 bottles and one weighing 687 g: 187 / 750 = 0.24933333 (numeric, 8 places).
    const w = await bartender.call('stocktakes.recordCount', { stocktakeId: st.id, productId: wine.id, fullUnits: 4, partialGrams: 687 });
    expect(w.countedUnits).toBeCloseTo(4.24933333, 8);

    const sheet = await bartender.call('stocktakes.getStocktake', { id: st.id });
    expect(sheet.counts.map((c) => c.productId).sort()).toEqual([stout.id, wine.id].sort());
    expect(sheet.uncounted).toEqual([{ productId: crisps.id, name: crisps.name, category: 'food' }]);

    // Closing: managers only, refused while crisps are uncounted (named), then with the system's figure for them.
    expect(await bartender.error('stocktakes.closeStocktake', { stocktakeId: st.id })).toMatchObject({ statusCode: 403 });
    const refused = await m.error('stocktakes.closeStocktake', { stocktakeId: st.id });
    expect(refused).toMatchObject({ statusCode: 400, field: 'uncounted' });
    expect(refused.message).toContain(crisps.name);
    const crispsBefore = await stockUnits(rig, crisps.id);
    const closing = await emittedDuring(primary, venue.venueId, () => m.call('stocktakes.closeStocktake', { stocktakeId: st.id, uncounted: 'expected' }));
    const closed = closing.result;
    expect(closed).toMatchObject({ status: 'closed', closedBy: { id: m.staffId }, uncounted: [] });
    const byProduct = new Map(closed.counts.map((c) => [c.productId, c]));
    expect(byProduct.get(stout.id)).toMatchObject({ countedUnits: 3.5, expectedUnits: stockBefore, fromExpected: false });
    expect(byProduct.get(crisps.id)).toMatchObject({ countedUnits: crispsBefore, expectedUnits: crispsBefore, fromExpected: true, fullUnits: null, countedBy: null });
    expect(envelope(closing, closing.events[0], { type: 'stocktake.closed', venueId: venue.venueId, aggregateType: 'stocktake', aggregateId: st.id })).toEqual(closed);

    // Stock is the count now; the adjustment is one move of counted − expected, dated countedAt, with who.
    expect(await stockUnits(rig, stout.id)).toBeCloseTo(3.5, 8);
    expect(await stockUnits(rig, wine.id)).toBeCloseTo(4.24933333, 8);
    const moves = await primary.query<{ units: string; staff_id: string; at: Date }>(
      `SELECT units, staff_id, at FROM stock_moves WHERE ref_id = $1 AND product_id = $2
       UNION ALL SELECT units, staff_id, at FROM stock_ledger WHERE ref_id = $1 AND product_id = $2`,
      [st.id, stout.id],
    );
    expect(moves.rows).toHaveLength(1);
    expect(Number(moves.rows[0]!.units)).toBeCloseTo(3.5 - stockBefore, 8);
    expect(moves.rows[0]!.staff_id).toBe(m.staffId);
    expect(moves.rows[0]!.at.toISOString()).toBe(closed.countedAt);

    // Closed: no more counts, no second close, and a new one may start.
    expect(await bartender.error('stocktakes.recordCount', { stocktakeId: st.id, productId: stout.id, fullUnits: 1 })).toMatchObject({ statusCode: 409 });
    expect(await m.error('stocktakes.closeStocktake', { stocktakeId: st.id })).toMatchObject({ statusCode: 409 });
    // A new one may not count before the last one.
    expect(await m.error('stocktakes.startStocktake', { countedAt: '2001-01-01T00:00:00Z' })).toMatchObject({ statusCode: 400, field: 'countedAt' });
  });
});

describe('counts from a flaky cellar', () => {
  it('a count sent twice with one request id applies once; two counts of one product at once leave one row', async () => {
    const m = venue.manager;
    const st = await m.call('stocktakes.startStocktake', {});
    const requestId = randomUUID();
    const twice = await emittedDuring(primary, venue.venueId, async () => {
      const first = await bartender.call('stocktakes.recordCount', { stocktakeId: st.id, productId: stout.id, fullUnits: 1, partialTenths: 5 }, { requestId });
      const second = await bartender.call('stocktakes.recordCount', { stocktakeId: st.id, productId: stout.id, fullUnits: 1, partialTenths: 5 }, { requestId });
      return [first, second];
    });
    expect(twice.result[1]).toEqual(twice.result[0]);
    expect(twice.events.filter((e) => e.type === 'stocktake.counted')).toHaveLength(1);

    const both = await Promise.all([
      bartender.call('stocktakes.recordCount', { stocktakeId: st.id, productId: wine.id, fullUnits: 7 }),
      m.call('stocktakes.recordCount', { stocktakeId: st.id, productId: wine.id, fullUnits: 8 }),
    ]);
    const rows = await primary.query<{ counted_units: string }>('SELECT counted_units FROM stocktake_counts WHERE stocktake_id = $1 AND product_id = $2', [
      st.id,
      wine.id,
    ]);
    expect(rows.rows).toHaveLength(1);
    expect(both.map((c) => c.countedUnits)).toContain(Number(rows.rows[0]!.counted_units));
    await m.call('stocktakes.closeStocktake', { stocktakeId: st.id, uncounted: 'expected' });
  });
});

describe('venue isolation', () => {
  it('answers 404 for another venue’s stocktake and product, whatever the action', async () => {
    const ours = await venue.manager.call('stocktakes.startStocktake', {});
    const theirs = await other.manager.call('stocktakes.startStocktake', {});
    const theirProduct = await createProduct(other.manager);
    const o = other.manager;
    expect(await o.error('stocktakes.getStocktake', { id: ours.id })).toMatchObject({ statusCode: 404 });
    expect(await o.error('stocktakes.recordCount', { stocktakeId: ours.id, productId: theirProduct.id, fullUnits: 1 })).toMatchObject({ statusCode: 404, field: 'stocktakeId' });
    expect(await o.error('stocktakes.closeStocktake', { stocktakeId: ours.id, uncounted: 'expected' })).toMatchObject({ statusCode: 404 });
    expect(await o.error('stocktakes.getVarianceReport', { id: ours.id })).toMatchObject({ statusCode: 404 });
    expect(await venue.manager.error('stocktakes.recordCount', { stocktakeId: ours.id, productId: theirProduct.id, fullUnits: 1 })).toMatchObject({
      statusCode: 404,
      field: 'productId',
    });
    expect(await venue.manager.error('stocktakes.recordCount', { stocktakeId: theirs.id, productId: stout.id, fullUnits: 1 })).toMatchObject({ statusCode: 404 });
    // An open stocktake has no variance yet; reports are for managers.
    expect(await venue.manager.error('stocktakes.getVarianceReport', { id: ours.id })).toMatchObject({ statusCode: 409 });
    expect(await bartender.error('stocktakes.getVarianceReport', { id: ours.id })).toMatchObject({ statusCode: 403 });
    await venue.manager.call('stocktakes.closeStocktake', { stocktakeId: ours.id, uncounted: 'expected' });
  });
});
