/**
 * catalogue.archiveProduct and catalogue.restoreProduct: an archived product
 * leaves the till's list and cannot be rung up, stays readable by id and in
 * the whole catalogue, and its sales still read back; restoring puts it back
 * last in its category. Managers only; another venue's product is unknown.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  asBartender,
  auditRows,
  createProduct,
  createVenue,
  serving,
  startRig,
  type Caller,
  type Product,
  type Rig,
  type Venue,
} from '../../../helpers/venue.js';

let rig: Rig;
let venue: Venue;

beforeAll(async () => {
  rig = await startRig();
  venue = await createVenue(rig, 'archive');
});
afterAll(async () => {
  await rig?.close();
});

const ids = (items: Product[]) => items.map((p) => p.id);
const tillList = async (caller: Caller) => (await caller.call('catalogue.listProducts', {})).items;
const wholeList = async (caller: Caller) => (await caller.call('catalogue.listProducts', { includeArchived: true })).items;

describe('archiving a product', () => {
  it('takes it off the till’s list, keeps it by id and in the whole catalogue, and keeps its sales', async () => {
    const stout = await createProduct(venue.manager, { category: 'draught' });
    const lager = await createProduct(venue.manager, { category: 'draught' });
    const pint = serving(stout, 'Pint');
    // A sale, and a line on a tab still open, from before it was archived.
    const sale = await venue.manager.call('sales.recordSale', { lines: [{ servingId: pint.id, quantity: 2 }], payments: [{ method: 'cash', amountCents: 1120 }] });
    const tab = await venue.manager.call('till.openTab', { name: 'Table 9' });
    await venue.manager.call('till.addTabLine', { tabId: tab.id, servingId: pint.id, quantity: 1 });
    expect(ids(await tillList(venue.manager))).toContain(stout.id);

    const archived = await venue.manager.call('catalogue.archiveProduct', { id: stout.id });
    expect(archived).toMatchObject({ id: stout.id, name: stout.name, archived: true, servings: stout.servings });

    // The till's list (what a worker keeps, version moved by the archive) has it no more; the whole catalogue has it, marked.
    expect(ids(await tillList(venue.manager))).not.toContain(stout.id);
    expect(ids(await tillList(venue.manager))).toContain(lager.id);
    const whole = await wholeList(venue.manager);
    expect(whole.find((p) => p.id === stout.id)).toMatchObject({ archived: true });
    expect(whole.find((p) => p.id === lager.id)).toMatchObject({ archived: false });
    expect(await venue.manager.call('catalogue.getProduct', { id: stout.id })).toMatchObject({ archived: true, name: stout.name });

    // It cannot be rung up any more, on a tab or as a quick sale.
    expect(await venue.manager.error('till.addTabLine', { tabId: tab.id, servingId: pint.id, quantity: 1 })).toMatchObject({ statusCode: 404 });
    const quick = await venue.manager.error('sales.recordSale', { lines: [{ servingId: pint.id, quantity: 1 }], payments: [{ method: 'cash', amountCents: 560 }] });
    expect(quick.statusCode).toBe(404);

    // What was sold before stays: the sale reads back, and the open tab is paid as rung.
    const again = await venue.manager.call('sales.getSale', { id: sale.id });
    expect(again.lines).toEqual([expect.objectContaining({ productId: stout.id, quantity: 2, grossCents: 1120 })]);
    const paid = await venue.manager.call('till.closeTab', { tabId: tab.id, payments: [{ method: 'card', amountCents: 560 }] });
    expect(paid.lines).toEqual([expect.objectContaining({ productId: stout.id, grossCents: 560 })]);

    // Audited once, by name; archiving again changes and records nothing.
    expect(await venue.manager.call('catalogue.archiveProduct', { id: stout.id })).toMatchObject({ archived: true });
    const entries = (await auditRows(rig, venue.venueId, 'product.archive')).filter((r) => r.entity_id === stout.id);
    expect(entries).toEqual([expect.objectContaining({ staff_id: venue.manager.staffId, details: { product: stout.name } })]);
  });

  it('is undone by restoring: back on the till, last in its category, and sold again', async () => {
    const own = await createVenue(rig, 'restore');
    const [first, second, third] = [
      await createProduct(own.manager, { category: 'spirit', abv: 40, unitMl: 700, servings: [{ name: 'Measure', ml: 35.5, priceCents: 550 }] }),
      await createProduct(own.manager, { category: 'spirit', abv: 40, unitMl: 700, servings: [{ name: 'Measure', ml: 35.5, priceCents: 550 }] }),
      await createProduct(own.manager, { category: 'spirit', abv: 40, unitMl: 700, servings: [{ name: 'Measure', ml: 35.5, priceCents: 550 }] }),
    ];
    await own.manager.call('catalogue.archiveProduct', { id: first.id });
    // The rest of the category close up.
    expect((await tillList(own.manager)).map((p) => [p.id, p.sortOrder])).toEqual([[second.id, 1], [third.id, 2]]);

    const restored = await own.manager.call('catalogue.restoreProduct', { id: first.id });
    expect(restored).toMatchObject({ archived: false, sortOrder: 3 });
    expect(ids(await tillList(own.manager))).toEqual([second.id, third.id, first.id]);
    const sale = await own.manager.call('sales.recordSale', {
      lines: [{ servingId: serving(first, 'Measure').id, quantity: 1 }],
      payments: [{ method: 'cash', amountCents: 550 }],
    });
    expect(sale.grossCents).toBe(550);
    expect((await auditRows(rig, own.venueId, 'product.restore')).map((r) => r.details)).toEqual([{ product: first.name }]);
    // Restoring what is not archived changes nothing.
    expect(await own.manager.call('catalogue.restoreProduct', { id: first.id })).toMatchObject({ archived: false, sortOrder: 3 });
    expect(await auditRows(rig, own.venueId, 'product.restore')).toHaveLength(1);
  });

  it('answers another venue’s product exactly like an unknown one, and changes nothing', async () => {
    const other = await createVenue(rig, 'archive-other');
    const theirs = await createProduct(other.manager);
    for (const action of ['catalogue.archiveProduct', 'catalogue.restoreProduct'] as const) {
      const err = await venue.manager.error(action, { id: theirs.id });
      const unknown = await venue.manager.error(action, { id: '00000000-0000-4000-8000-000000000000' });
      expect({ code: err.code, statusCode: err.statusCode, message: err.message }).toEqual({
        code: unknown.code,
        statusCode: unknown.statusCode,
        message: unknown.message,
      });
      expect(err).toMatchObject({ code: 'BB_NOT_FOUND', statusCode: 404 });
    }
    expect(await other.manager.call('catalogue.getProduct', { id: theirs.id })).toMatchObject({ archived: false });
    expect(ids(await tillList(other.manager))).toContain(theirs.id);
  });

  it('is refused to a bartender, and the attempt is audited', async () => {
    const bartender = await asBartender(venue);
    const product = await createProduct(venue.manager);
    const before = (await auditRows(rig, venue.venueId, 'access.denied')).length;
    expect(await bartender.error('catalogue.archiveProduct', { id: product.id })).toMatchObject({ code: 'BB_FORBIDDEN', statusCode: 403 });
    expect(await bartender.error('catalogue.restoreProduct', { id: product.id })).toMatchObject({ code: 'BB_FORBIDDEN', statusCode: 403 });
    const denied = (await auditRows(rig, venue.venueId, 'access.denied')).slice(before);
    expect(denied.map((r) => [r.staff_id, r.details.attempted])).toEqual([
      [bartender.staffId, 'catalogue.archiveProduct'],
      [bartender.staffId, 'catalogue.restoreProduct'],
    ]);
    expect(await venue.manager.call('catalogue.getProduct', { id: product.id })).toMatchObject({ archived: false });
    // A bartender's till list has what is sold, and no archived products.
    expect(ids(await tillList(bartender))).toContain(product.id);
    expect((await tillList(bartender)).every((p) => !p.archived)).toBe(true);
  });
});
