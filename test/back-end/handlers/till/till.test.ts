/**
 * Till rules (back-end/src/handlers/till/): tabs (open, add, void with a
 * reason, close with payments that add up exactly), and what a serving draws
 * from stock.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  tabRowCount,
  stoutBar,
  createProduct,
  serving,
  stockUnits,
  type Caller,
  type Product,
  type Rig,
  type Venue,
} from '../../../helpers/venue.js';

let rig: Rig;
let venue: Venue;
let bartender: Caller;
let stout: Product;
let pintId: string;
let halfId: string;

beforeAll(async () => {
  // Two workers: one test's calls may land on either.
  ({ rig, venue, bartender, stout, pintId, halfId } = await stoutBar('till', 2));
});
afterAll(async () => {
  await rig?.close();
});

const tabRows = (tabId: string) => tabRowCount({ rig, venue }, 'tab_lines', tabId);
const paymentRows = (tabId: string) => tabRowCount({ rig, venue }, 'payments', tabId);

describe('a tab', () => {
  it('opens empty, takes lines and totals them', async () => {
    const tab = await bartender.call('till.openTab', { name: 'Window seat' });
    expect(tab).toMatchObject({ name: 'Window seat', status: 'open', lines: [], grossCents: 0, openedBy: { id: bartender.staffId } });

    const one = await bartender.call('till.addTabLine', { tabId: tab.id, servingId: pintId, quantity: 2 });
    expect(one.lines).toHaveLength(1);
    // 2 × 560 = 1120.
    expect(one.lines[0]).toMatchObject({ servingId: pintId, productId: stout.id, quantity: 2, unitPriceCents: 560, grossCents: 1120, voided: false, voidReason: null });
    expect(one.lines[0]!.description).toContain(stout.name);
    const two = await bartender.call('till.addTabLine', { tabId: tab.id, servingId: halfId, quantity: 1 });
    // 1120 + 300 = 1420.
    expect(two.grossCents).toBe(1420);

    const open = await bartender.call('till.listOpenTabs', {});
    expect(open.items.map((t) => t.id)).toContain(tab.id);
    expect((await bartender.call('till.getTab', { id: tab.id })).grossCents).toBe(1420);
  });

  it('voids a line only with a reason, and leaves voided lines out of the total and the sale', async () => {
    const tab = await bartender.call('till.openTab', { name: 'Void me' });
    const withPints = await bartender.call('till.addTabLine', { tabId: tab.id, servingId: pintId, quantity: 2 });
    const withHalf = await bartender.call('till.addTabLine', { tabId: tab.id, servingId: halfId, quantity: 1 });
    const pintLine = withPints.lines[0]!;
    const halfLine = withHalf.lines.find((l) => l.id !== pintLine.id)!;

    // No reason, an empty one, or only blanks: refused, naming the field.
    await expect(bartender.call('till.voidTabLine', { tabId: tab.id, lineId: pintLine.id } as never)).rejects.toMatchObject({
      code: 'BB_VALIDATION',
      statusCode: 400,
      field: 'reason',
    });
    for (const reason of ['', '   ']) {
      await expect(bartender.call('till.voidTabLine', { tabId: tab.id, lineId: pintLine.id, reason })).rejects.toMatchObject({
        code: 'BB_VALIDATION',
        statusCode: 400,
        field: 'reason',
      });
    }
    expect((await bartender.call('till.getTab', { id: tab.id })).grossCents).toBe(1420);

    const voided = await bartender.call('till.voidTabLine', { tabId: tab.id, lineId: pintLine.id, reason: 'Poured wrong, customer changed mind' });
    expect(voided.lines.find((l) => l.id === pintLine.id)).toMatchObject({ voided: true, voidReason: 'Poured wrong, customer changed mind' });
    // Only the half is left: 300.
    expect(voided.grossCents).toBe(300);

    // A line is voided once.
    await expect(bartender.call('till.voidTabLine', { tabId: tab.id, lineId: pintLine.id, reason: 'again' })).rejects.toMatchObject({
      code: 'BB_LINE_VOIDED',
      statusCode: 409,
    });

    const sale = await bartender.call('till.closeTab', { tabId: tab.id, payments: [{ method: 'cash', amountCents: 300 }] });
    expect(sale.grossCents).toBe(300);
    expect(sale.lines.map((l) => l.id)).toEqual([halfLine.id]);
  });

  it('refuses payments that do not add up exactly, and accepts a cash/card split that does', async () => {
    const tab = await bartender.call('till.openTab', { name: 'Split' });
    await bartender.call('till.addTabLine', { tabId: tab.id, servingId: pintId, quantity: 3 });
    // Total 3 × 560 = 1680.
    for (const payments of [
      [{ method: 'cash' as const, amountCents: 1679 }],
      [{ method: 'cash' as const, amountCents: 1681 }],
      [
        { method: 'cash' as const, amountCents: 1000 },
        { method: 'card' as const, amountCents: 700 },
      ],
    ]) {
      await expect(bartender.call('till.closeTab', { tabId: tab.id, payments })).rejects.toMatchObject({ code: 'BB_PAYMENTS_MISMATCH', statusCode: 400 });
    }
    expect(await paymentRows(tab.id)).toBe(0);
    expect((await bartender.call('till.getTab', { id: tab.id })).status).toBe('open');

    const sale = await bartender.call('till.closeTab', {
      tabId: tab.id,
      payments: [
        { method: 'cash', amountCents: 1000 },
        { method: 'card', amountCents: 680 },
      ],
    });
    expect(sale.id).toBe(tab.id);
    expect(sale.grossCents).toBe(1680);
    expect(sale.payments.map((p) => [p.method, p.amountCents]).sort()).toEqual([
      ['card', 680],
      ['cash', 1000],
    ]);
    expect(sale.closedBy.id).toBe(bartender.staffId);
    expect(await paymentRows(tab.id)).toBe(2);
    expect((await bartender.call('till.listOpenTabs', {})).items.map((t) => t.id)).not.toContain(tab.id);
  });

  it('once closed takes no more lines, voids or payments', async () => {
    const tab = await bartender.call('till.openTab', { name: 'Closed' });
    const added = await bartender.call('till.addTabLine', { tabId: tab.id, servingId: halfId, quantity: 1 });
    await bartender.call('till.closeTab', { tabId: tab.id, payments: [{ method: 'card', amountCents: 300 }] });

    await expect(bartender.call('till.addTabLine', { tabId: tab.id, servingId: pintId, quantity: 1 })).rejects.toMatchObject({
      code: 'BB_TAB_CLOSED',
      statusCode: 409,
    });
    await expect(bartender.call('till.voidTabLine', { tabId: tab.id, lineId: added.lines[0]!.id, reason: 'too late' })).rejects.toMatchObject({
      statusCode: 409,
    });
    // A second close (a new request, not a replay) never charges again.
    await expect(bartender.call('till.closeTab', { tabId: tab.id, payments: [{ method: 'card', amountCents: 300 }] })).rejects.toMatchObject({
      code: 'BB_TAB_CLOSED',
      statusCode: 409,
    });
    expect(await tabRows(tab.id)).toBe(1);
    expect(await paymentRows(tab.id)).toBe(1);
    const sale = await bartender.call('sales.getSale', { id: tab.id });
    expect(sale.grossCents).toBe(300);
  });

  it('cannot be closed with nothing on it', async () => {
    const empty = await bartender.call('till.openTab', { name: 'Empty' });
    await expect(bartender.call('till.closeTab', { tabId: empty.id, payments: [{ method: 'cash', amountCents: 100 }] })).rejects.toMatchObject({
      code: 'BB_EMPTY_TAB',
      statusCode: 400,
    });
    const allVoided = await bartender.call('till.openTab', { name: 'All voided' });
    const t = await bartender.call('till.addTabLine', { tabId: allVoided.id, servingId: halfId, quantity: 1 });
    await bartender.call('till.voidTabLine', { tabId: allVoided.id, lineId: t.lines[0]!.id, reason: 'walked out before pouring' });
    await expect(bartender.call('till.closeTab', { tabId: allVoided.id, payments: [{ method: 'cash', amountCents: 100 }] })).rejects.toMatchObject({
      code: 'BB_EMPTY_TAB',
      statusCode: 400,
    });
    expect(await paymentRows(allVoided.id)).toBe(0);
  });
});

/*
 * Stock is held to four decimal places (numeric(14,4)), so a draw is exact to
 * 1/10 000 of a unit: comparisons allow half of that (toBeCloseTo(x, 4)), far
 * below any wrong draw (a pint from a keg is 0.01136).
 */
describe('stock', () => {
  it('draws ml / unit ml per serving, and a whole unit when the serving has no ml', async () => {
    const keg = await createProduct(venue.manager);
    const bottles = await createProduct(venue.manager, {
      name: `Bottled cider ${Date.now()}`,
      category: 'bottle',
      abv: 4.5,
      unitMl: 500,
      servings: [{ name: 'Bottle', ml: null, priceCents: 550 }],
    });
    const sandwich = await createProduct(venue.manager, {
      name: `Ham sandwich ${Date.now()}`,
      category: 'food',
      abv: 0,
      vatClass: 'reduced',
      unitMl: null,
      servings: [{ name: 'Sandwich', ml: null, priceCents: 600 }],
    });
    const keg0 = await stockUnits(rig, keg.id);
    const bottles0 = await stockUnits(rig, bottles.id);
    const food0 = await stockUnits(rig, sandwich.id);

    const tab = await bartender.call('till.openTab', { name: 'Stock' });
    await bartender.call('till.addTabLine', { tabId: tab.id, servingId: serving(keg, 'Pint').id, quantity: 3 });
    await bartender.call('till.addTabLine', { tabId: tab.id, servingId: serving(bottles, 'Bottle').id, quantity: 2 });
    await bartender.call('till.addTabLine', { tabId: tab.id, servingId: serving(sandwich, 'Sandwich').id, quantity: 1 });
    // 3 pints: 3 × 568 / 50 000 = 0.03408 kegs; 2 bottles: 2 units; 1 sandwich: 1 unit.
    expect(await stockUnits(rig, keg.id)).toBeCloseTo(keg0 - 0.03408, 4);
    expect(await stockUnits(rig, bottles.id)).toBeCloseTo(bottles0 - 2, 4);
    expect(await stockUnits(rig, sandwich.id)).toBeCloseTo(food0 - 1, 4);

    // Closing the tab draws nothing more.
    await bartender.call('till.closeTab', { tabId: tab.id, payments: [{ method: 'card', amountCents: 3 * 560 + 2 * 550 + 600 }] });
    expect(await stockUnits(rig, keg.id)).toBeCloseTo(keg0 - 0.03408, 4);
    expect(await stockUnits(rig, bottles.id)).toBeCloseTo(bottles0 - 2, 4);
    expect((await bartender.call('catalogue.getProduct', { id: keg.id })).stockUnits).toBeCloseTo(keg0 - 0.03408, 4);
  });

  it('puts a voided line back (it was never poured)', async () => {
    const keg = await createProduct(venue.manager);
    const start = await stockUnits(rig, keg.id);
    const tab = await bartender.call('till.openTab', { name: 'Void stock' });
    const t = await bartender.call('till.addTabLine', { tabId: tab.id, servingId: serving(keg, 'Half').id, quantity: 2 });
    // 2 × 284 / 50 000 = 0.01136.
    expect(await stockUnits(rig, keg.id)).toBeCloseTo(start - 0.01136, 4);
    await bartender.call('till.voidTabLine', { tabId: tab.id, lineId: t.lines[0]!.id, reason: 'rang the wrong drink' });
    expect(await stockUnits(rig, keg.id)).toBeCloseTo(start, 4);
  });

  it('draws for a quick sale and keeps the draw when the sale is refunded (the drink was poured)', async () => {
    const keg = await createProduct(venue.manager);
    const start = await stockUnits(rig, keg.id);
    const sale = await bartender.call('sales.recordSale', {
      lines: [{ servingId: serving(keg, 'Pint').id, quantity: 1 }],
      payments: [{ method: 'cash', amountCents: 560 }],
    });
    // 568 / 50 000 = 0.01136.
    expect(await stockUnits(rig, keg.id)).toBeCloseTo(start - 0.01136, 4);
    await venue.manager.call('sales.refundSale', { saleId: sale.id, reason: 'Customer complained it was flat' });
    expect(await stockUnits(rig, keg.id)).toBeCloseTo(start - 0.01136, 4);
  });
});
