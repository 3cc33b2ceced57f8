/**
 * Catalogue rules: the minimum unit price for alcohol (€0.10 per gram of
 * alcohol, grams = ml × ABV/100 × 0.789, rounded up to the cent) on create and
 * on update, non-alcoholic products exempt; price changes audited and never
 * reaching back into recorded sales.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  countRows,
  createProduct,
  createVenue,
  productInput,
  serving,
  startRig,
  type Rig,
  type Venue,
} from '../../../helpers/venue.js';

let rig: Rig;
let venue: Venue;

beforeAll(async () => {
  rig = await startRig();
  venue = await createVenue(rig, 'catalogue');
});
afterAll(async () => {
  await rig?.close();
});

describe('minimum unit price on create', () => {
  it('refuses a pint of 4.3% stout below €1.93, naming the serving price and stating the minimum', async () => {
    // 568 ml × 4.3% = 24.424 ml of alcohol × 0.789 g/ml = 19.27 g → €1.927 → €1.93 (rounded up).
    const input = productInput({ servings: [{ name: 'Pint', ml: 568, priceCents: 192 }] });
    const err = await venue.manager.error('catalogue.createProduct', input);
    expect(err).toMatchObject({ code: 'BB_BELOW_MINIMUM_PRICE', statusCode: 400 });
    expect(err.message).toContain('€1.93');
    expect(err.field).toMatch(/^servings(\.|\[)0\]?\.priceCents$/);
    expect(await countRows(rig, 'products', venue.venueId, { sql: 'AND name = $2', values: [input.name] })).toBe(0);
  });

  it('names the offending serving when it is not the first', async () => {
    // Half: 284 ml × 4.3% × 0.789 = 9.64 g → €0.97 minimum; 96 cents is below it.
    const err = await venue.manager.error(
      'catalogue.createProduct',
      productInput({ servings: [{ name: 'Pint', ml: 568, priceCents: 560 }, { name: 'Half', ml: 284, priceCents: 96 }] }),
    );
    expect(err).toMatchObject({ code: 'BB_BELOW_MINIMUM_PRICE', statusCode: 400 });
    expect(err.message).toContain('€0.97');
    expect(err.field).toMatch(/^servings(\.|\[)1\]?\.priceCents$/);
  });

  it('accepts exactly the minimum', async () => {
    const product = await createProduct(venue.manager, {
      servings: [{ name: 'Pint', ml: 568, priceCents: 193 }, { name: 'Half', ml: 284, priceCents: 97 }],
    });
    expect(serving(product, 'Pint').priceCents).toBe(193);
    expect(serving(product, 'Half').priceCents).toBe(97);
  });

  it('applies to a spirit measure: 35.5 ml at 40% must cost at least €1.13', async () => {
    // 35.5 × 0.40 × 0.789 = 11.2038 g → €1.12038 → €1.13.
    const spirit = (priceCents: number) =>
      productInput({ name: `Whiskey ${Date.now()}-${priceCents}`, category: 'spirit', abv: 40, unitMl: 700, servings: [{ name: 'Single', ml: 35.5, priceCents }] });
    const err = await venue.manager.error('catalogue.createProduct', spirit(112));
    expect(err).toMatchObject({ code: 'BB_BELOW_MINIMUM_PRICE' });
    expect(err.message).toContain('€1.13');
    const ok = await venue.manager.call('catalogue.createProduct', spirit(113));
    expect(ok.servings[0]!.priceCents).toBe(113);
  });

  it('judges a whole-unit serving (no ml) by the stock unit: a 330 ml bottle at 5% must cost at least €1.31', async () => {
    // 330 × 0.05 × 0.789 = 13.0185 g → €1.30185 → €1.31.
    const bottle = (priceCents: number) =>
      productInput({ name: `Bottled lager ${Date.now()}-${priceCents}`, category: 'bottle', abv: 5, unitMl: 330, servings: [{ name: 'Bottle', ml: null, priceCents }] });
    const err = await venue.manager.error('catalogue.createProduct', bottle(130));
    expect(err).toMatchObject({ code: 'BB_BELOW_MINIMUM_PRICE' });
    expect(err.message).toContain('€1.31');
    expect((await venue.manager.call('catalogue.createProduct', bottle(131))).servings[0]!.priceCents).toBe(131);
  });

  it('exempts non-alcoholic products, whatever their price', async () => {
    const cola = await createProduct(venue.manager, {
      name: `Cola ${Date.now()}`,
      category: 'soft',
      abv: 0,
      unitMl: 10_000,
      servings: [{ name: 'Pint', ml: 568, priceCents: 50 }, { name: 'Staff', ml: 568, priceCents: 0 }],
    });
    expect(serving(cola, 'Pint').priceCents).toBe(50);
    expect(serving(cola, 'Staff').priceCents).toBe(0);
  });
});

describe('minimum unit price on update', () => {
  it('refuses lowering a price below the minimum and leaves the product as it was', async () => {
    const product = await createProduct(venue.manager);
    const pint = serving(product, 'Pint');
    const half = serving(product, 'Half');
    const err = await venue.manager.error('catalogue.updateProduct', {
      id: product.id,
      servings: [{ id: pint.id, name: 'Pint', ml: 568, priceCents: 192 }, { id: half.id, name: 'Half', ml: 284, priceCents: 300 }],
    });
    expect(err).toMatchObject({ code: 'BB_BELOW_MINIMUM_PRICE', statusCode: 400 });
    expect(err.message).toContain('€1.93');
    expect(err.field).toMatch(/^servings(\.|\[)0\]?\.priceCents$/);
    const unchanged = await venue.manager.call('catalogue.getProduct', { id: product.id });
    expect(serving(unchanged, 'Pint').priceCents).toBe(560);

    const ok = await venue.manager.call('catalogue.updateProduct', {
      id: product.id,
      servings: [{ id: pint.id, name: 'Pint', ml: 568, priceCents: 193 }, { id: half.id, name: 'Half', ml: 284, priceCents: 300 }],
    });
    expect(serving(ok, 'Pint').priceCents).toBe(193);
    expect(serving(ok, 'Pint').id).toBe(pint.id);
  });

  it('refuses raising the ABV so that an existing price falls below the minimum', async () => {
    const product = await createProduct(venue.manager);
    // At 40% a pint would need 568 × 0.40 × 0.789 × 10 = 1792.6 → €17.93; it costs €5.60.
    const err = await venue.manager.error('catalogue.updateProduct', { id: product.id, abv: 40 });
    expect(err).toMatchObject({ code: 'BB_BELOW_MINIMUM_PRICE', statusCode: 400 });
    expect(err.message).toContain('€17.93');
    expect((await venue.manager.call('catalogue.getProduct', { id: product.id })).abv).toBe(4.3);
  });

  it('lets a product that becomes non-alcoholic be priced freely', async () => {
    const product = await createProduct(venue.manager);
    const pint = serving(product, 'Pint');
    const updated = await venue.manager.call('catalogue.updateProduct', {
      id: product.id,
      abv: 0,
      servings: [{ id: pint.id, name: 'Pint', ml: 568, priceCents: 100 }],
    });
    expect(updated.abv).toBe(0);
    expect(updated.servings.map((s) => [s.name, s.priceCents])).toEqual([['Pint', 100]]);
  });
});

describe('price changes', () => {
  it('are audited with the old and new price, and never alter recorded sales', async () => {
    const product = await createProduct(venue.manager);
    const pint = serving(product, 'Pint');
    const half = serving(product, 'Half');
    const before = await venue.manager.call('sales.recordSale', {
      lines: [{ servingId: pint.id, quantity: 2 }],
      payments: [{ method: 'cash', amountCents: 1120 }],
    });
    const auditBefore = await countRows(rig, 'audit_log', venue.venueId, { sql: 'AND entity_id = $2', values: [product.id] });

    const updated = await venue.manager.call('catalogue.updateProduct', {
      id: product.id,
      servings: [{ id: pint.id, name: 'Pint', ml: 568, priceCents: 600 }, { id: half.id, name: 'Half', ml: 284, priceCents: 300 }],
    });
    expect(serving(updated, 'Pint').priceCents).toBe(600);

    // The change is in the audit trail, by whom, with both prices.
    const db = await rig.primary();
    const { rows } = await db.query<{ staff_id: string; action: string; details: unknown }>(
      'SELECT staff_id, action, details FROM audit_log WHERE venue_id = $1 AND entity_id = $2 ORDER BY id',
      [venue.venueId, product.id],
    );
    expect(rows.length).toBeGreaterThan(auditBefore);
    const change = rows.slice(auditBefore);
    expect(change.every((r) => r.staff_id === venue.manager.staffId)).toBe(true);
    const text = JSON.stringify(change.map((r) => r.details));
    expect(text).toContain('560');
    expect(text).toContain('600');

    // The sale keeps the price it was rung up at.
    const sale = await venue.manager.call('sales.getSale', { id: before.id });
    expect(sale.lines).toHaveLength(1);
    expect(sale.lines[0]).toMatchObject({ servingId: pint.id, quantity: 2, unitPriceCents: 560, grossCents: 1120 });
    expect(sale.grossCents).toBe(1120);
    expect({ vatCents: sale.vatCents, netCents: sale.netCents }).toEqual({ vatCents: before.vatCents, netCents: before.netCents });

    // A new sale uses the new price: 600 × 2 = 1200.
    const after = await venue.manager.call('sales.recordSale', {
      lines: [{ servingId: pint.id, quantity: 2 }],
      payments: [{ method: 'cash', amountCents: 1200 }],
    });
    expect(after.lines[0]).toMatchObject({ unitPriceCents: 600, grossCents: 1200 });
  });

  it('does not reprice lines already on an open tab', async () => {
    const product = await createProduct(venue.manager);
    const pint = serving(product, 'Pint');
    const tab = await venue.manager.call('till.openTab', { name: 'Price freeze' });
    await venue.manager.call('till.addTabLine', { tabId: tab.id, servingId: pint.id, quantity: 1 });
    await venue.manager.call('catalogue.updateProduct', { id: product.id, servings: [{ id: pint.id, name: 'Pint', ml: 568, priceCents: 650 }] });
    const current = await venue.manager.call('till.getTab', { id: tab.id });
    expect(current.lines[0]).toMatchObject({ unitPriceCents: 560, grossCents: 560 });
  });

  it('retires servings left out of an update, and sales that used them still read back', async () => {
    const product = await createProduct(venue.manager);
    const pint = serving(product, 'Pint');
    const half = serving(product, 'Half');
    const sale = await venue.manager.call('sales.recordSale', {
      lines: [{ servingId: half.id, quantity: 1 }],
      payments: [{ method: 'card', amountCents: 300 }],
    });
    const updated = await venue.manager.call('catalogue.updateProduct', { id: product.id, servings: [{ id: pint.id, name: 'Pint', ml: 568, priceCents: 560 }] });
    expect(updated.servings.map((s) => s.id)).toEqual([pint.id]);
    const again = await venue.manager.call('sales.getSale', { id: sale.id });
    expect(again.lines[0]).toMatchObject({ servingId: half.id, unitPriceCents: 300, grossCents: 300 });
  });
});
