/**
 * What the catalogue's writes put on the change stream (issue 16):
 * product.created, product.updated (with the old and new price of every
 * serving whose price changed, was added or was retired), product.archived
 * and product.restored, each with the product as the reply gives it. A
 * write that changes nothing, or is refused, emits nothing.
 */
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { waitForPublished } from '../../../helpers/events.js';
import { emittedDuring, onlyEvent } from '../../../helpers/emitted.js';
import { asBartender, createProduct, createVenue, productInput, refusal, serving, startRig, type Caller, type Rig, type Venue } from '../../../helpers/venue.js';

let rig: Rig;
let venue: Venue;
let bartender: Caller;
let primary: pg.Pool;
let venueId: string;

beforeAll(async () => {
  rig = await startRig();
  venue = await createVenue(rig, 'catalogue-events');
  bartender = await asBartender(venue);
  primary = await rig.primary();
  venueId = venue.venueId;
});
afterAll(async () => {
  await rig?.close();
});

describe('catalogue.createProduct', () => {
  it('emits product.created: the product as the reply gives it', async () => {
    const input = productInput();
    const emitted = await emittedDuring(primary, venueId, () => venue.manager.call('catalogue.createProduct', input));
    const product = emitted.result;
    const data = onlyEvent(emitted, { type: 'product.created', venueId, aggregateType: 'product', aggregateId: product.id });
    expect(data).toEqual(product);
    expect(data).toMatchObject({
      name: input.name,
      parUnits: 2,
      archived: false,
      servings: [
        { name: 'Pint', ml: 568, priceCents: 560 },
        { name: 'Half', ml: 284, priceCents: 300 },
      ],
    });
  });

  it('emits nothing for a bartender (managers only) or a name taken', async () => {
    const byBartender = await emittedDuring(primary, venueId, () => refusal(bartender.call('catalogue.createProduct', productInput())));
    expect(byBartender.result).toMatchObject({ statusCode: 403 });
    expect(byBartender.events).toEqual([]);

    const taken = await createProduct(venue.manager);
    const twice = await emittedDuring(primary, venueId, () => refusal(venue.manager.call('catalogue.createProduct', productInput({ name: taken.name }))));
    expect(twice.result).toMatchObject({ code: 'BB_NAME_TAKEN' });
    expect(twice.events).toEqual([]);
  });
});

describe('catalogue.updateProduct', () => {
  it('emits product.updated with the price before and after of each serving changed, added or retired', async () => {
    const stout = await createProduct(venue.manager);
    const pint = serving(stout, 'Pint');
    const half = serving(stout, 'Half');
    const emitted = await emittedDuring(primary, venueId, () =>
      venue.manager.call('catalogue.updateProduct', {
        id: stout.id,
        servings: [
          { id: pint.id, name: 'Pint', ml: 568, priceCents: 600 },
          { name: 'Jug', ml: 1704, priceCents: 1650 },
        ],
      }),
    );
    const product = emitted.result;
    const jug = serving(product, 'Jug');
    const data = onlyEvent(emitted, { type: 'product.updated', venueId, aggregateType: 'product', aggregateId: stout.id });
    expect(data).toEqual({
      product,
      priceChanges: [
        { servingId: pint.id, name: 'Pint', oldPriceCents: 560, newPriceCents: 600 },
        { servingId: jug.id, name: 'Jug', oldPriceCents: null, newPriceCents: 1650 },
        { servingId: half.id, name: 'Half', oldPriceCents: 300, newPriceCents: null },
      ],
    });
    expect(product.servings.map((s) => [s.name, s.priceCents])).toEqual([
      ['Pint', 600],
      ['Jug', 1650],
    ]);
  });

  it('emits product.updated with no price changes when only other fields change', async () => {
    const stout = await createProduct(venue.manager);
    const emitted = await emittedDuring(primary, venueId, () =>
      venue.manager.call('catalogue.updateProduct', { id: stout.id, parUnits: 5, name: `${stout.name} (nitro)` }),
    );
    const data = onlyEvent(emitted, { type: 'product.updated', venueId, aggregateType: 'product', aggregateId: stout.id });
    expect(data).toEqual({ product: emitted.result, priceChanges: [] });
    expect(emitted.result).toMatchObject({ parUnits: 5, name: `${stout.name} (nitro)` });
  });

  it('emits nothing when the product is saved as it was, or the change is refused', async () => {
    const stout = await createProduct(venue.manager);
    const same = await emittedDuring(primary, venueId, () =>
      venue.manager.call('catalogue.updateProduct', {
        id: stout.id,
        name: stout.name,
        parUnits: stout.parUnits,
        servings: stout.servings.map((s) => ({ id: s.id, name: s.name, ml: s.ml, priceCents: s.priceCents })),
      }),
    );
    expect(same.events).toEqual([]);

    // Below the minimum unit price for alcohol: refused, and nothing written.
    const cheap = await emittedDuring(primary, venueId, () =>
      refusal(venue.manager.call('catalogue.updateProduct', { id: stout.id, servings: [{ name: 'Pint', ml: 568, priceCents: 1 }] })),
    );
    expect(cheap.result).toMatchObject({ statusCode: 400 });
    expect(cheap.events).toEqual([]);
  });
});

describe('catalogue.archiveProduct and restoreProduct', () => {
  it('emit product.archived and product.restored once each, with the product as the reply gives it', async () => {
    const stout = await createProduct(venue.manager);
    const archived = await emittedDuring(primary, venueId, () => venue.manager.call('catalogue.archiveProduct', { id: stout.id }));
    const archivedData = onlyEvent(archived, { type: 'product.archived', venueId, aggregateType: 'product', aggregateId: stout.id });
    expect(archivedData).toEqual(archived.result);
    expect(archived.result.archived).toBe(true);

    const again = await emittedDuring(primary, venueId, () => venue.manager.call('catalogue.archiveProduct', { id: stout.id }));
    expect(again.events).toEqual([]);

    const restored = await emittedDuring(primary, venueId, () => venue.manager.call('catalogue.restoreProduct', { id: stout.id }));
    const restoredData = onlyEvent(restored, { type: 'product.restored', venueId, aggregateType: 'product', aggregateId: stout.id });
    expect(restoredData).toEqual(restored.result);
    expect(restored.result.archived).toBe(false);

    const restoredAgain = await emittedDuring(primary, venueId, () => venue.manager.call('catalogue.restoreProduct', { id: stout.id }));
    expect(restoredAgain.events).toEqual([]);
  });
});

it('publishes every event of the venue to the stream', async () => {
  const events = await waitForPublished(primary, venueId);
  expect(events.filter((e) => e.type.startsWith('product.')).length).toBeGreaterThanOrEqual(8);
});
