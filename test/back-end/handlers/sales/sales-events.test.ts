/**
 * What the sales area's writes put on the change stream (issue 16):
 * sales.recordSale emits sale.recorded with the sale as getSale returns it,
 * sales.refundSale emits sale.refunded with the refund; a refused write
 * emits nothing, a repeated request emits once, and every event reaches the
 * stream (published by the relay in the test's worker).
 */
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { waitForPublished } from '../../../helpers/events.js';
import { emittedDuring, onlyEvent } from '../../../helpers/emitted.js';
import { refusal, stoutBar, type StoutBar } from '../../../helpers/venue.js';

let bar: StoutBar;
let primary: pg.Pool;
let venueId: string;

beforeAll(async () => {
  bar = await stoutBar('sales-events');
  primary = await bar.rig.primary();
  venueId = bar.venue.venueId;
  // A shift is open, so each write here emits only its own events; a write
  // that opens one is in test/back-end/handlers/shifts/shift-started-events.test.ts.
  await bar.bartender.call('shifts.startShift', { floatCents: 0 });
});
afterAll(async () => {
  await bar?.rig.close();
});

/** Two pints and a half: 2 × 560 + 300 = 1420. */
const twoPintsAndAHalf = () => ({
  lines: [
    { servingId: bar.pintId, quantity: 2 },
    { servingId: bar.halfId, quantity: 1 },
  ],
  payments: [
    { method: 'cash' as const, amountCents: 1000 },
    { method: 'card' as const, amountCents: 420 },
  ],
});

describe('sales.recordSale', () => {
  it('emits sale.recorded: the sale, field by field as getSale returns it', async () => {
    const emitted = await emittedDuring(primary, venueId, () => bar.bartender.call('sales.recordSale', { ...twoPintsAndAHalf(), name: 'Window seat' }));
    const sale = emitted.result;
    const data = onlyEvent(emitted, { type: 'sale.recorded', venueId, aggregateType: 'sale', aggregateId: sale.id });
    expect(data).toEqual(await bar.bartender.call('sales.getSale', { id: sale.id }));
    expect(data).toEqual(sale);
    expect(data).toMatchObject({
      name: 'Window seat',
      grossCents: 1420,
      closedBy: { id: bar.bartender.staffId },
      payments: [
        { method: 'cash', amountCents: 1000 },
        { method: 'card', amountCents: 420 },
      ],
      lines: [
        { productId: bar.stout.id, servingId: bar.pintId, quantity: 2, grossCents: 1120, vatRateBp: 2300, vatCents: 209, netCents: 911 },
        { productId: bar.stout.id, servingId: bar.halfId, quantity: 1, grossCents: 300, vatRateBp: 2300, vatCents: 56, netCents: 244 },
      ],
    });
  });

  it('emits nothing when the payments do not add up to the total', async () => {
    const emitted = await emittedDuring(primary, venueId, () =>
      refusal(bar.bartender.call('sales.recordSale', { ...twoPintsAndAHalf(), payments: [{ method: 'card', amountCents: 1419 }] })),
    );
    expect(emitted.result).toMatchObject({ statusCode: 400 });
    expect(emitted.events).toEqual([]);
  });

  it('emits once for a request sent again with the same id', async () => {
    const requestId = randomUUID();
    const emitted = await emittedDuring(primary, venueId, async () => {
      const first = await bar.bartender.call('sales.recordSale', twoPintsAndAHalf(), { requestId });
      const again = await bar.bartender.call('sales.recordSale', twoPintsAndAHalf(), { requestId });
      return { first, again };
    });
    expect(emitted.result.again).toEqual(emitted.result.first);
    const data = onlyEvent(emitted, { type: 'sale.recorded', venueId, aggregateType: 'sale', aggregateId: emitted.result.first.id });
    expect(data).toEqual(emitted.result.first);
  });
});

describe('sales.refundSale', () => {
  it('emits sale.refunded on the sale, with the refund as the reply gives it', async () => {
    const sale = await bar.bartender.call('sales.recordSale', twoPintsAndAHalf());
    const pintLine = sale.lines[0]?.id ?? '';
    const emitted = await emittedDuring(primary, venueId, () =>
      bar.venue.manager.call('sales.refundSale', { saleId: sale.id, lineIds: [pintLine], reason: 'Flat', method: 'cash' }),
    );
    const refund = emitted.result;
    const data = onlyEvent(emitted, { type: 'sale.refunded', venueId, aggregateType: 'sale', aggregateId: sale.id });
    expect(data).toEqual(refund);
    expect(data).toMatchObject({
      saleId: sale.id,
      reason: 'Flat',
      refundedBy: { id: bar.venue.manager.staffId },
      grossCents: -1120,
      vatCents: -209,
      netCents: -911,
    });
    // The refund is the one getSale now lists under the sale.
    expect((await bar.venue.manager.call('sales.getSale', { id: sale.id })).refunds).toEqual([refund]);
  });

  it('emits nothing for a bartender’s refund (managers only) or a line refunded already', async () => {
    const sale = await bar.bartender.call('sales.recordSale', twoPintsAndAHalf());
    const byBartender = await emittedDuring(primary, venueId, () =>
      refusal(bar.bartender.call('sales.refundSale', { saleId: sale.id, reason: 'Not a manager' })),
    );
    expect(byBartender.result).toMatchObject({ statusCode: 403 });
    expect(byBartender.events).toEqual([]);

    await bar.venue.manager.call('sales.refundSale', { saleId: sale.id, reason: 'All of it', method: 'card' });
    const twice = await emittedDuring(primary, venueId, () =>
      refusal(bar.venue.manager.call('sales.refundSale', { saleId: sale.id, reason: 'Again' })),
    );
    expect(twice.result).toMatchObject({ code: 'BB_ALREADY_REFUNDED' });
    expect(twice.events).toEqual([]);
  });
});

describe('the stream', () => {
  it('publishes every event of the venue, each once, in the order emitted', async () => {
    const events = await waitForPublished(primary, venueId);
    expect(events.length).toBeGreaterThan(5);
    expect(events.every((e) => e.published && e.position !== null)).toBe(true);
    expect(new Set(events.map((e) => e.id)).size).toBe(events.length);
    // Positions follow the order the venue's writes committed.
    const positions = events.map((e) => BigInt(e.position ?? '0'));
    expect(positions.every((p, i) => i === 0 || p > (positions[i - 1] ?? 0n))).toBe(true);
  });
});
