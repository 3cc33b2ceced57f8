/**
 * What the till's writes put on the change stream (issue 16): tab.opened,
 * tab.lineAdded, tab.lineVoided, tab.split, and tab.closed followed by
 * sale.recorded when a tab is paid, each field by field against the reply;
 * a refused write emits nothing.
 */
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { waitForPublished } from '../../../helpers/events.js';
import { emittedDuring, envelope, onlyEvent } from '../../../helpers/emitted.js';
import { refusal, stoutBar, type StoutBar, type Tab } from '../../../helpers/venue.js';

let bar: StoutBar;
let primary: pg.Pool;
let venueId: string;

beforeAll(async () => {
  bar = await stoutBar('till-events');
  primary = await bar.rig.primary();
  venueId = bar.venue.venueId;
  // A shift is open, so each write here emits only its own events; a write
  // that opens one is in test/back-end/handlers/shifts/shift-started-events.test.ts.
  await bar.bartender.call('shifts.startShift', { floatCents: 0 });
});
afterAll(async () => {
  await bar?.rig.close();
});

/** A tab with a pint and a half (860), rung by the bartender. */
async function tabWithTwoLines(): Promise<Tab> {
  const tab = await bar.bartender.call('till.openTab', { name: 'Table 4' });
  await bar.bartender.call('till.addTabLine', { tabId: tab.id, servingId: bar.pintId, quantity: 1 });
  return bar.bartender.call('till.addTabLine', { tabId: tab.id, servingId: bar.halfId, quantity: 1 });
}

describe('till.openTab', () => {
  it('emits tab.opened: the tab as the reply gives it', async () => {
    const emitted = await emittedDuring(primary, venueId, () => bar.bartender.call('till.openTab', { name: 'Snug' }));
    const data = onlyEvent(emitted, { type: 'tab.opened', venueId, aggregateType: 'tab', aggregateId: emitted.result.id });
    expect(data).toEqual(emitted.result);
    expect(data).toMatchObject({ name: 'Snug', status: 'open', lines: [], grossCents: 0, openedBy: { id: bar.bartender.staffId } });
  });
});

describe('till.addTabLine', () => {
  it('emits tab.lineAdded: the new line and the tab’s total after it', async () => {
    const tab = await bar.bartender.call('till.openTab', { name: 'Bar stool' });
    await bar.bartender.call('till.addTabLine', { tabId: tab.id, servingId: bar.halfId, quantity: 1 });
    const emitted = await emittedDuring(primary, venueId, () =>
      bar.bartender.call('till.addTabLine', { tabId: tab.id, servingId: bar.pintId, quantity: 2 }),
    );
    const after = emitted.result;
    const data = onlyEvent(emitted, { type: 'tab.lineAdded', venueId, aggregateType: 'tab', aggregateId: tab.id });
    expect(data).toEqual({ tabId: tab.id, line: after.lines[1], tabGrossCents: 1420 });
    expect(after.grossCents).toBe(1420);
    expect(after.lines[1]).toMatchObject({ servingId: bar.pintId, productId: bar.stout.id, quantity: 2, grossCents: 1120, voided: false });
  });

  it('emits nothing for a serving that does not exist', async () => {
    const tab = await bar.bartender.call('till.openTab', { name: 'Nothing' });
    const emitted = await emittedDuring(primary, venueId, () =>
      refusal(bar.bartender.call('till.addTabLine', { tabId: tab.id, servingId: tab.id, quantity: 1 })),
    );
    expect(emitted.result).toMatchObject({ statusCode: 404 });
    expect(emitted.events).toEqual([]);
  });
});

describe('till.voidTabLine', () => {
  it('emits tab.lineVoided: the line, voided with its reason, and the tab’s total after it', async () => {
    const tab = await tabWithTwoLines();
    const pint = tab.lines[0]?.id ?? '';
    const emitted = await emittedDuring(primary, venueId, () =>
      bar.bartender.call('till.voidTabLine', { tabId: tab.id, lineId: pint, reason: 'Rang twice' }),
    );
    const data = onlyEvent(emitted, { type: 'tab.lineVoided', venueId, aggregateType: 'tab', aggregateId: tab.id });
    expect(data).toEqual({ tabId: tab.id, line: emitted.result.lines[0], tabGrossCents: 300 });
    expect(data).toMatchObject({ line: { id: pint, voided: true, voidReason: 'Rang twice', grossCents: 560 } });
  });

  it('emits nothing for a bartender’s void once the venue keeps voids to managers', async () => {
    const tab = await tabWithTwoLines();
    await bar.venue.manager.call('venue.updateSettings', { bartendersMayVoid: false });
    try {
      const emitted = await emittedDuring(primary, venueId, () =>
        refusal(bar.bartender.call('till.voidTabLine', { tabId: tab.id, lineId: tab.lines[0]?.id ?? '', reason: 'Spilt' })),
      );
      expect(emitted.result).toMatchObject({ code: 'BB_FORBIDDEN' });
      expect(emitted.events).toEqual([]);
    } finally {
      await bar.venue.manager.call('venue.updateSettings', { bartendersMayVoid: true });
    }
  });
});

describe('till.splitTab', () => {
  it('emits tab.split on the tab the lines left: what stays, and the new tab', async () => {
    const tab = await tabWithTwoLines();
    const half = tab.lines[1]?.id ?? '';
    const emitted = await emittedDuring(primary, venueId, () =>
      bar.bartender.call('till.splitTab', { tabId: tab.id, lineIds: [half], name: 'Aoife' }),
    );
    const newTab = emitted.result;
    const data = onlyEvent(emitted, { type: 'tab.split', venueId, aggregateType: 'tab', aggregateId: tab.id });
    const left = await bar.bartender.call('till.getTab', { id: tab.id });
    expect(data).toEqual({ fromTabId: tab.id, fromGrossCents: left.grossCents, tab: newTab });
    expect(left.grossCents).toBe(560);
    expect(newTab).toMatchObject({ name: 'Aoife', grossCents: 300, lines: [{ id: half }] });
  });
});

describe('till.closeTab', () => {
  it('emits tab.closed then sale.recorded with the sale as getSale returns it', async () => {
    const tab = await tabWithTwoLines();
    const emitted = await emittedDuring(primary, venueId, () =>
      bar.bartender.call('till.closeTab', { tabId: tab.id, payments: [{ method: 'cash', amountCents: 860 }] }),
    );
    const sale = emitted.result;
    expect(emitted.events.map((e) => e.type)).toEqual(['tab.closed', 'sale.recorded']);
    const closed = envelope(emitted, emitted.events[0], { type: 'tab.closed', venueId, aggregateType: 'tab', aggregateId: tab.id });
    expect(closed).toEqual({ tabId: tab.id, saleId: sale.id, grossCents: 860 });
    const recorded = envelope(emitted, emitted.events[1], { type: 'sale.recorded', venueId, aggregateType: 'sale', aggregateId: sale.id });
    expect(recorded).toEqual(sale);
    expect(recorded).toEqual(await bar.bartender.call('sales.getSale', { id: sale.id }));
    expect(recorded).toMatchObject({
      grossCents: 860,
      vatCents: 161,
      netCents: 699,
      payments: [{ method: 'cash', amountCents: 860 }],
      lines: [
        { productId: bar.stout.id, servingId: bar.pintId, quantity: 1, grossCents: 560, vatRateBp: 2300, vatCents: 105, netCents: 455 },
        { productId: bar.stout.id, servingId: bar.halfId, quantity: 1, grossCents: 300, vatRateBp: 2300, vatCents: 56, netCents: 244 },
      ],
    });
    // Both events of the one transaction carry its start as their time.
    expect(emitted.events[0]?.occurredAt).toBe(emitted.events[1]?.occurredAt);
  });

  it('emits nothing when the payments do not match, or for a tab paid already', async () => {
    const tab = await tabWithTwoLines();
    const short = await emittedDuring(primary, venueId, () =>
      refusal(bar.bartender.call('till.closeTab', { tabId: tab.id, payments: [{ method: 'card', amountCents: 859 }] })),
    );
    expect(short.result).toMatchObject({ code: 'BB_PAYMENTS_MISMATCH' });
    expect(short.events).toEqual([]);

    await bar.bartender.call('till.closeTab', { tabId: tab.id, payments: [{ method: 'card', amountCents: 860 }] });
    const twice = await emittedDuring(primary, venueId, () =>
      refusal(bar.bartender.call('till.closeTab', { tabId: tab.id, payments: [{ method: 'card', amountCents: 860 }] })),
    );
    expect(twice.result).toMatchObject({ statusCode: 409 });
    expect(twice.events).toEqual([]);
  });
});

it('publishes every event of the venue to the stream', async () => {
  const events = await waitForPublished(primary, venueId);
  expect(events.filter((e) => e.type === 'sale.recorded').length).toBeGreaterThanOrEqual(2);
  expect(events.every((e) => e.published)).toBe(true);
});
