/**
 * The manager's dashboard (dashboard.getDashboard): the business day's
 * takings (sales less refunds, by payment method, a refund going back the way
 * its sale was paid), sales per product, open tabs, low stock with the
 * quantity to order and the latest events, newest first. Counted by the
 * venue's business day (Europe/Dublin, from its start hour), never another
 * venue's, and never shown to a bartender.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { ReplyOf } from '@barback/messaging';
import { businessDay } from '../../../../back-end/src/domain/business-day.js';
import { waitForPublished } from '../../../helpers/events.js';
import { auditRows, createProduct, createVenue, serving, stockUnits, stoutBar, type StoutBar, type Venue } from '../../../helpers/venue.js';

type Dashboard = ReplyOf<'dashboard.getDashboard'>;

let bar: StoutBar;

beforeAll(async () => {
  bar = await stoutBar('dashboard');
}, 60_000);
afterAll(async () => {
  await bar?.rig.close();
});

const method = (d: Dashboard, m: string) => d.takings.byMethod.find((x) => x.method === m)?.cents;

async function setClosedAt(saleId: string, at: Date): Promise<void> {
  const db = await bar.rig.primary();
  await db.query('UPDATE tabs SET closed_at = $2 WHERE id = $1', [saleId, at]);
}

describe('dashboard.getDashboard', () => {
  it('starts empty for a new venue, its day in Europe/Dublin from 06:00', async () => {
    const venue = await createVenue(bar.rig, 'dashboard-empty');
    const d = await venue.manager.call('dashboard.getDashboard', {});
    const expected = businessDay(new Date(), 'Europe/Dublin', 6);
    expect(d.businessDay).toEqual({
      date: expected.date,
      startsAt: expected.startsAt.toISOString(),
      endsAt: expected.endsAt.toISOString(),
      timeZone: 'Europe/Dublin',
      startHour: 6,
    });
    expect(d.takings).toEqual({
      grossCents: 0,
      salesCents: 0,
      refundsCents: 0,
      saleCount: 0,
      byMethod: [
        { method: 'card', cents: 0 },
        { method: 'cash', cents: 0 },
        { method: 'other', cents: 0 },
      ],
    });
    expect(d.products).toEqual([]);
    expect(d.openTabs).toEqual({ count: 0, grossCents: 0 });
    expect(d.lowStock).toEqual([]);
  });

  it('counts sales less refunds by method and per product, open tabs, low stock and the latest events', async () => {
    const { venue, stout, pintId, halfId, bartender } = bar;
    const m = venue.manager;
    // A product with par 0 never shows as low, whatever its stock.
    const crisps = await createProduct(m, { name: `Crisps ${Date.now()}`, category: 'other', abv: 0, unitMl: null, parUnits: 0, servings: [{ name: 'Bag', ml: null, priceCents: 200 }] });

    const twoPints = await bartender.call('sales.recordSale', { lines: [{ servingId: pintId, quantity: 2 }], payments: [{ method: 'card', amountCents: 1120 }] });
    await bartender.call('sales.recordSale', { lines: [{ servingId: halfId, quantity: 1 }], payments: [{ method: 'cash', amountCents: 300 }] });
    // A split bill: €2.00 cash and €3.60 card for a pint.
    await bartender.call('sales.recordSale', {
      lines: [{ servingId: pintId, quantity: 1 }],
      payments: [{ method: 'cash', amountCents: 200 }, { method: 'card', amountCents: 360 }],
    });
    await bartender.call('sales.recordSale', { lines: [{ servingId: serving(crisps, 'Bag').id, quantity: 3 }], payments: [{ method: 'other', amountCents: 600 }] });
    await m.call('sales.refundSale', { saleId: twoPints.id, reason: 'flat' });

    const a = await bartender.call('till.openTab', { name: 'Table 1' });
    await bartender.call('till.addTabLine', { tabId: a.id, servingId: pintId, quantity: 1 });
    const b = await bartender.call('till.openTab', { name: 'Table 2' });
    await bartender.call('till.addTabLine', { tabId: b.id, servingId: pintId, quantity: 1 });
    const withHalf = await bartender.call('till.addTabLine', { tabId: b.id, servingId: halfId, quantity: 1 });
    const half = withHalf.lines.find((l) => l.servingId === halfId)!;
    await m.call('till.voidTabLine', { tabId: b.id, lineId: half.id, reason: 'rang twice' });

    await waitForPublished(await bar.rig.primary(), venue.venueId);
    const d = await m.call('dashboard.getDashboard', {});
    expect(d.takings.salesCents).toBe(1120 + 300 + 560 + 600);
    expect(d.takings.refundsCents).toBe(-1120);
    expect(d.takings.grossCents).toBe(1460);
    expect(d.takings.saleCount).toBe(4);
    expect(method(d, 'card')).toBe(1120 + 360 - 1120);
    expect(method(d, 'cash')).toBe(300 + 200);
    expect(method(d, 'other')).toBe(600);
    expect(d.takings.byMethod.reduce((s, x) => s + x.cents, 0)).toBe(d.takings.grossCents);

    // Servings sold less servings refunded: 2 pints + 1 half + 1 pint − 2 pints; the chart adds up to the takings.
    expect(d.products).toEqual([
      { productId: crisps.id, name: crisps.name, servings: 3, grossCents: 600 },
      { productId: stout.id, name: stout.name, servings: 2, grossCents: 860 },
    ].sort((x, y) => y.grossCents - x.grossCents));
    expect(d.products.reduce((s, p) => s + p.grossCents, 0)).toBe(d.takings.grossCents);

    expect(d.openTabs).toEqual({ count: 2, grossCents: 1120 });

    // The stout (par 2 kegs) has had no delivery: below par, order ceil(2 − on hand).
    const onHand = await stockUnits(bar.rig, stout.id);
    expect(d.lowStock).toEqual([
      { productId: stout.id, name: stout.name, onHandUnits: expect.closeTo(onHand, 6) as unknown as number, parUnits: 2, orderUnits: Math.ceil(2 - onHand), unitMl: 50_000 },
    ]);
    expect(d.lowStock[0]!.orderUnits).toBe(3);

    // The latest events, newest first: the void came last.
    expect(d.events.length).toBeLessThanOrEqual(20);
    expect(d.events[0]).toMatchObject({ type: 'tab.lineVoided', venueId: venue.venueId });
    // Newest first by position (not by the text of it: a venue's positions cross 999 → 1000 and so on).
    expect(d.events.map((e) => e.occurredAt)).toEqual(d.events.map((e) => e.occurredAt).sort().reverse());
    expect(d.events.map((e) => e.type)).toContain('sale.refunded');
    const positions = d.events.map((e) => e.cursor);
    expect(new Set(positions).size).toBe(positions.length);
  });

  it('counts a sale by the business day it was paid in: a millisecond before the day starts is yesterday, exactly at the start is today', async () => {
    const { venue, pintId } = bar;
    const before = await venue.manager.call('dashboard.getDashboard', {});
    const day = businessDay(new Date(), 'Europe/Dublin', 6);
    const late = await venue.manager.call('sales.recordSale', { lines: [{ servingId: pintId, quantity: 1 }], payments: [{ method: 'card', amountCents: 560 }] });
    const early = await venue.manager.call('sales.recordSale', { lines: [{ servingId: pintId, quantity: 2 }], payments: [{ method: 'cash', amountCents: 1120 }] });
    await setClosedAt(late.id, new Date(day.startsAt.getTime() - 1));
    await setClosedAt(early.id, day.startsAt);

    const after = await venue.manager.call('dashboard.getDashboard', {});
    expect(after.takings.salesCents - before.takings.salesCents).toBe(1120);
    expect(after.takings.saleCount - before.takings.saleCount).toBe(1);
    expect(method(after, 'cash')! - method(before, 'cash')!).toBe(1120);
    expect(method(after, 'card')).toBe(method(before, 'card'));

    // A refund today of yesterday's sale counts today, going back by the sale's card.
    await venue.manager.call('sales.refundSale', { saleId: late.id, reason: 'spilt' });
    const refunded = await venue.manager.call('dashboard.getDashboard', {});
    expect(refunded.takings.refundsCents - after.takings.refundsCents).toBe(-560);
    expect(method(refunded, 'card')! - method(after, 'card')!).toBe(-560);
  });

  it('follows the venue’s start hour from its settings', async () => {
    const venue: Venue = await createVenue(bar.rig, 'dashboard-hour');
    expect(await venue.manager.call('venue.updateSettings', { bartendersMayVoid: true, businessDayStartHour: 4 })).toEqual({ bartendersMayVoid: true, businessDayStartHour: 4 });
    const d = await venue.manager.call('dashboard.getDashboard', {});
    const expected = businessDay(new Date(), 'Europe/Dublin', 4);
    expect(d.businessDay).toMatchObject({ startHour: 4, date: expected.date, startsAt: expected.startsAt.toISOString() });
    // Left out, the hour stays as it is (callers from before it existed).
    expect(await venue.manager.call('venue.updateSettings', { bartendersMayVoid: false })).toEqual({ bartendersMayVoid: false, businessDayStartHour: 4 });
    const audited = await auditRows(bar.rig, venue.venueId, 'venue.settings');
    expect(audited.map((r) => r.details)).toEqual([{ businessDayStartHour: { from: 6, to: 4 } }, { bartendersMayVoid: { from: true, to: false } }]);
    const refused = await venue.manager.error('venue.updateSettings', { bartendersMayVoid: true, businessDayStartHour: 13 });
    expect(refused.statusCode).toBe(400);
    expect(refused.field).toBe('businessDayStartHour');
  });

  it('shows nothing of another venue', async () => {
    const other = await createVenue(bar.rig, 'dashboard-other');
    const product = await createProduct(other.manager);
    await other.manager.call('sales.recordSale', { lines: [{ servingId: serving(product, 'Pint').id, quantity: 5 }], payments: [{ method: 'card', amountCents: 2800 }] });
    await other.manager.call('till.openTab', { name: 'Elsewhere' });
    const mine = await bar.venue.manager.call('dashboard.getDashboard', {});
    expect(mine.products.map((p) => p.productId)).not.toContain(product.id);
    expect(mine.lowStock.map((p) => p.productId)).not.toContain(product.id);
    expect(mine.events.every((e) => e.venueId === bar.venue.venueId)).toBe(true);

    await waitForPublished(await bar.rig.primary(), other.venueId);
    const theirs = await other.manager.call('dashboard.getDashboard', {});
    expect(theirs.takings.grossCents).toBe(2800);
    expect(theirs.openTabs).toEqual({ count: 1, grossCents: 0 });
    expect(theirs.products).toEqual([{ productId: product.id, name: product.name, servings: 5, grossCents: 2800 }]);
    expect(theirs.events.every((e) => e.venueId === other.venueId)).toBe(true);
  });

  it('refuses a bartender, and audits the attempt', async () => {
    const refused = await bar.bartender.error('dashboard.getDashboard', {});
    expect(refused.code).toBe('BB_FORBIDDEN');
    expect(refused.statusCode).toBe(403);
    const denied = await auditRows(bar.rig, bar.venue.venueId, 'access.denied');
    expect(denied).toContainEqual(expect.objectContaining({ staff_id: bar.bartender.staffId, details: { attempted: 'dashboard.getDashboard' } }));
  });
});
