/**
 * Where a product is kept (issue 17: the stocktake sheet goes shelf by shelf):
 * createProduct and updateProduct take an optional `location`, trimmed, null
 * to clear it, left as it is when left out; the product reply, the list and
 * the product.updated event carry it, and the audit log records the change.
 * Through the real broker, workers and database.
 */
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { emittedDuring, onlyEvent } from '../../../helpers/emitted.js';
import { auditRows, createProduct, createVenue, startRig, type Rig, type Venue } from '../../../helpers/venue.js';

let rig: Rig;
let venue: Venue;
let primary: pg.Pool;

beforeAll(async () => {
  rig = await startRig();
  primary = await rig.primary();
  venue = await createVenue(rig, 'product-location');
});
afterAll(async () => {
  await rig?.close();
});

describe('a product’s location', () => {
  it('is null unless given, and is kept trimmed', async () => {
    const none = await createProduct(venue.manager);
    expect(none.location).toBeNull();
    const kept = await createProduct(venue.manager, { location: '  Keg room ' });
    expect(kept.location).toBe('Keg room');
    expect((await venue.manager.call('catalogue.getProduct', { id: kept.id })).location).toBe('Keg room');
    const list = await venue.manager.call('catalogue.listProducts', {});
    expect(list.items.find((p) => p.id === kept.id)?.location).toBe('Keg room');
    const { rows } = await primary.query<{ location: string | null }>('SELECT location FROM products WHERE id = $1', [kept.id]);
    expect(rows[0]?.location).toBe('Keg room');
  });

  it('changes with updateProduct, stays when left out, clears with null, and product.updated and the audit log carry it', async () => {
    const stout = await createProduct(venue.manager, { location: 'Cellar' });
    const moved = await emittedDuring(primary, venue.venueId, () => venue.manager.call('catalogue.updateProduct', { id: stout.id, location: 'Back bar' }));
    expect(moved.result.location).toBe('Back bar');
    const data = onlyEvent(moved, { type: 'product.updated', venueId: venue.venueId, aggregateType: 'product', aggregateId: stout.id });
    expect(data).toEqual({ product: moved.result, priceChanges: [] });
    expect((data as { product: { location: string } }).product.location).toBe('Back bar');
    const audit = (await auditRows(rig, venue.venueId, 'product.update')).filter((r) => r.entity_id === stout.id);
    expect(audit.at(-1)?.details).toMatchObject({ location: { from: 'Cellar', to: 'Back bar' } });

    // Left out: stays.
    expect((await venue.manager.call('catalogue.updateProduct', { id: stout.id, parUnits: 3 })).location).toBe('Back bar');
    // The same place again changes nothing, and says so by emitting nothing.
    const same = await emittedDuring(primary, venue.venueId, () => venue.manager.call('catalogue.updateProduct', { id: stout.id, location: ' Back bar' }));
    expect(same.events).toEqual([]);
    // null clears it.
    expect((await venue.manager.call('catalogue.updateProduct', { id: stout.id, location: null })).location).toBeNull();
  });

  it('is refused when empty, blank or longer than 40 characters, naming the field', async () => {
    const stout = await createProduct(venue.manager);
    for (const location of ['', '   ', 'x'.repeat(41), 'Cellar\nshelf 2']) {
      const err = await venue.manager.error('catalogue.updateProduct', { id: stout.id, location });
      expect({ status: err.statusCode, field: err.field }).toEqual({ status: 400, field: 'location' });
    }
    // 40 is the most it takes.
    expect((await venue.manager.call('catalogue.updateProduct', { id: stout.id, location: 'y'.repeat(40) })).location).toBe('y'.repeat(40));
  });
});
