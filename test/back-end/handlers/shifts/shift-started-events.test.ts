/**
 * A shift a write opens goes on the change stream (issue 19): a sale, a
 * paid tab, a void, a refund or a cash movement rung with no shift open
 * emits shift.started (float 0, autoOpened) ahead of its own events, in its
 * own transaction; the next write emits none; writes racing to open one emit
 * one between them; and every shift.closed on the stream has its start.
 */
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { EventType } from '@barback/messaging';
import { waitForPublished } from '../../../helpers/events.js';
import { emittedDuring, envelope, onlyEvent, type Emitted } from '../../../helpers/emitted.js';
import { auditRows, stoutBar, type StoutBar } from '../../../helpers/venue.js';

let bar: StoutBar;
let primary: pg.Pool;
let venueId: string;

beforeAll(async () => {
  // Two workers: the racing first sales really run side by side.
  bar = await stoutBar('shift-started', 2);
  primary = await bar.rig.primary();
  venueId = bar.venue.venueId;
});
afterAll(async () => {
  await bar?.rig.close();
});

const pintSale = () => ({ lines: [{ servingId: bar.pintId, quantity: 1 }], payments: [{ method: 'cash' as const, amountCents: 560 }] });

/** Closes the open shift (a refund can leave less than nothing expected: hence the note), so the next write finds none open. */
async function closeShift(): Promise<void> {
  const x = await bar.venue.manager.call('shifts.getXReport', {});
  await bar.venue.manager.call('shifts.closeShift', { countedCashCents: Math.max(x.expectedCashCents, 0), note: 'Closed to leave none open' });
}

/**
 * Checks that the write emitted shift.started first and then `then`, that
 * the shift is the one now open, opened by `by` with a float of 0, and that
 * its event went out in the write's transaction (the outbox's occurredAt is
 * the transaction's now(), the shift's openedAt too). Answers the shift id.
 */
async function startedAhead(emitted: Emitted<unknown>, then: EventType[], by: string): Promise<string> {
  expect(emitted.events.map((e) => e.type)).toEqual(['shift.started', ...then]);
  const x = await bar.venue.manager.call('shifts.getXReport', {});
  const data = envelope(emitted, emitted.events[0], { type: 'shift.started', venueId, aggregateType: 'shift', aggregateId: x.shiftId });
  expect(data).toEqual({ id: x.shiftId, openedAt: x.openedAt, openedBy: x.openedBy, floatCents: 0, autoOpened: true });
  expect(x.openedBy.id).toBe(by);
  expect(x).toMatchObject({ floatCents: 0, autoOpened: true });
  const [started, ...rest] = emitted.events;
  for (const e of rest) expect(e.occurredAt).toBe(started!.occurredAt);
  expect(Date.parse(x.openedAt)).toBe(Date.parse(started!.occurredAt));
  const audited = await auditRows(bar.rig, venueId, 'shift.autoStart');
  expect(audited.filter((a) => a.entity_id === x.shiftId)).toHaveLength(1);
  return x.shiftId;
}

describe('a write with no shift open', () => {
  it('sales.recordSale: the first sale emits shift.started then sale.recorded; the second only sale.recorded', async () => {
    await expect(bar.venue.manager.error('shifts.getXReport', {})).resolves.toMatchObject({ statusCode: 404 });
    const first = await emittedDuring(primary, venueId, () => bar.bartender.call('sales.recordSale', pintSale()));
    await startedAhead(first, ['sale.recorded'], bar.bartender.staffId);
    const second = await emittedDuring(primary, venueId, () => bar.bartender.call('sales.recordSale', pintSale()));
    onlyEvent(second, { type: 'sale.recorded', venueId, aggregateType: 'sale', aggregateId: second.result.id });
  });

  it('till.voidTabLine and till.closeTab: whichever commits first with none open emits it, adding a line does not', async () => {
    await closeShift();
    const tab = await bar.bartender.call('till.openTab', { name: 'Snug' });
    const added = await emittedDuring(primary, venueId, () =>
      bar.bartender.call('till.addTabLine', { tabId: tab.id, servingId: bar.pintId, quantity: 2 }),
    );
    onlyEvent(added, { type: 'tab.lineAdded', venueId, aggregateType: 'tab', aggregateId: tab.id });
    const voided = await emittedDuring(primary, venueId, () =>
      bar.bartender.call('till.voidTabLine', { tabId: tab.id, lineId: added.result.lines[0]?.id ?? '', reason: 'Rang twice' }),
    );
    await startedAhead(voided, ['tab.lineVoided'], bar.bartender.staffId);
    await bar.bartender.call('till.addTabLine', { tabId: tab.id, servingId: bar.halfId, quantity: 1 });
    const paid = await emittedDuring(primary, venueId, () =>
      bar.bartender.call('till.closeTab', { tabId: tab.id, payments: [{ method: 'cash', amountCents: 300 }] }),
    );
    expect(paid.events.map((e) => e.type)).toEqual(['tab.closed', 'sale.recorded']);

    await closeShift();
    const next = await bar.bartender.call('till.openTab', { name: 'Bar' });
    await bar.bartender.call('till.addTabLine', { tabId: next.id, servingId: bar.halfId, quantity: 1 });
    const closed = await emittedDuring(primary, venueId, () =>
      bar.bartender.call('till.closeTab', { tabId: next.id, payments: [{ method: 'card', amountCents: 300 }] }),
    );
    await startedAhead(closed, ['tab.closed', 'sale.recorded'], bar.bartender.staffId);
  });

  it('sales.refundSale and shifts.recordCashMovement open it too, in the manager’s name', async () => {
    const sale = await bar.bartender.call('sales.recordSale', pintSale());
    await closeShift();
    const refunded = await emittedDuring(primary, venueId, () =>
      bar.venue.manager.call('sales.refundSale', { saleId: sale.id, reason: 'Flat', method: 'cash' }),
    );
    const refundShift = await startedAhead(refunded, ['sale.refunded'], bar.venue.manager.staffId);

    await closeShift();
    const moved = await emittedDuring(primary, venueId, () =>
      bar.venue.manager.call('shifts.recordCashMovement', { kind: 'paid_in', amountCents: 2000, reason: 'Change from the bank' }),
    );
    const movedShift = await startedAhead(moved, ['cash.moved'], bar.venue.manager.staffId);
    expect(moved.result.shiftId).toBe(movedShift);
    expect(movedShift).not.toBe(refundShift);
  });

  it('sales racing to open one: one shift.started, ahead of its own sale, and every sale in that shift', async () => {
    await closeShift();
    const emitted = await emittedDuring(primary, venueId, () =>
      Promise.all(Array.from({ length: 8 }, () => bar.bartender.call('sales.recordSale', pintSale()))),
    );
    const types = emitted.events.map((e) => e.type);
    expect(types.filter((t) => t === 'shift.started')).toHaveLength(1);
    expect(types.filter((t) => t === 'sale.recorded')).toHaveLength(8);
    expect(types).toHaveLength(9);
    const x = await bar.venue.manager.call('shifts.getXReport', {});
    expect(x).toMatchObject({ salesCount: 8, autoOpened: true, floatCents: 0 });
    const at = types.indexOf('shift.started');
    const started = emitted.events[at]!;
    expect(started.aggregateId).toBe(x.shiftId);
    // Its own sale follows it, in the same transaction.
    expect(emitted.events[at + 1]).toMatchObject({ type: 'sale.recorded', occurredAt: started.occurredAt });
  });
});

it('puts a shift.started on the stream ahead of every shift.closed', async () => {
  await closeShift();
  const events = await waitForPublished(primary, venueId);
  const closed = events.filter((e) => e.type === 'shift.closed');
  expect(closed.length).toBeGreaterThanOrEqual(5);
  for (const z of closed) {
    const shiftId = (z.data as { shiftId: string }).shiftId;
    const starts = events.filter((e) => e.type === 'shift.started' && e.aggregateId === shiftId);
    expect(starts).toHaveLength(1);
    expect(BigInt(starts[0]!.position ?? '0')).toBeLessThan(BigInt(z.position ?? '0'));
  }
});
