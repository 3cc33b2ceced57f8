/**
 * Splitting a bill by lines (back-end/src/handlers/till/split-tab.ts): the
 * chosen lines move to a new open tab in one transaction, unchanged, and are
 * paid there; the rest stays; refusals name the line at fault.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  stoutBar,
  auditRows,
  createVenue,
  stockUnits,
  type Caller,
  type Product,
  type Rig,
  type Tab,
  type Venue,
} from '../../../helpers/venue.js';

let rig: Rig;
let venue: Venue;
let bartender: Caller;
let stout: Product;
let pintId: string;
let halfId: string;

beforeAll(async () => {
  ({ rig, venue, bartender, stout, pintId, halfId } = await stoutBar('split'));
});
afterAll(async () => {
  await rig?.close();
});

/** A tab of two pints and a half, rung one at a time. */
async function roundOfThree(name = 'Table 3'): Promise<Tab> {
  let tab = await bartender.call('till.openTab', { name });
  for (const servingId of [pintId, pintId, halfId]) tab = await bartender.call('till.addTabLine', { tabId: tab.id, servingId, quantity: 1 });
  return tab;
}

describe('splitting a tab by lines', () => {
  it('moves the chosen lines, as they were, to a new open tab that is paid on its own', async () => {
    const tab = await roundOfThree();
    const [pint1, pint2, half] = tab.lines;
    const stockBefore = await stockUnits(rig, stout.id);

    const split = await bartender.call('till.splitTab', { tabId: tab.id, lineIds: [pint2!.id, half!.id] });
    expect(split).toMatchObject({ name: 'Table 3 (split)', status: 'open', grossCents: 860, openedBy: { id: bartender.staffId } });
    expect(split.lines).toEqual([pint2, half]);
    const rest = await bartender.call('till.getTab', { id: tab.id });
    expect(rest.lines).toEqual([pint1]);
    expect(rest.grossCents).toBe(560);
    // Nothing was poured or given back: stock is as it was.
    expect(await stockUnits(rig, stout.id)).toBeCloseTo(stockBefore, 6);

    const sale = await bartender.call('till.closeTab', { tabId: split.id, payments: [{ method: 'card', amountCents: 860 }] });
    expect(sale).toMatchObject({ id: split.id, grossCents: 860, name: 'Table 3 (split)' });
    expect(sale.lines.map((l) => l.id)).toEqual([pint2!.id, half!.id]);
    const open = await bartender.call('till.listOpenTabs', {});
    expect(open.items.map((t) => t.id)).toContain(tab.id);
    expect(open.items.map((t) => t.id)).not.toContain(split.id);

    expect((await auditRows(rig, venue.venueId, 'tab.split')).filter((r) => r.entity_id === tab.id)).toEqual([
      expect.objectContaining({
        staff_id: bartender.staffId,
        details: expect.objectContaining({ from: 'Table 3', to: 'Table 3 (split)', toTabId: split.id, grossCents: 860 }),
      }),
    ]);
  });

  it('takes a name for the new tab, and cuts the default one to fit', async () => {
    const tab = await roundOfThree('x'.repeat(60));
    const named = await bartender.call('till.splitTab', { tabId: tab.id, lineIds: [tab.lines[0]!.id], name: '  Mary  ' });
    expect(named.name).toBe('Mary');
    const cut = await bartender.call('till.splitTab', { tabId: tab.id, lineIds: [tab.lines[1]!.id] });
    expect(cut.name).toBe(`${'x'.repeat(52)} (split)`);
    expect(cut.name).toHaveLength(60);
  });

  it('happens once for one request id', async () => {
    const tab = await roundOfThree();
    const requestId = randomUUID();
    const first = await bartender.call('till.splitTab', { tabId: tab.id, lineIds: [tab.lines[0]!.id] }, { requestId });
    const again = await bartender.call('till.splitTab', { tabId: tab.id, lineIds: [tab.lines[0]!.id] }, { requestId });
    expect(again.id).toBe(first.id);
    expect((await bartender.call('till.getTab', { id: tab.id })).lines).toHaveLength(2);
  });

  it('refuses what cannot be split, naming the line, and moves nothing', async () => {
    const tab = await roundOfThree();
    const other = await roundOfThree('Other table');
    const all = await bartender.error('till.splitTab', { tabId: tab.id, lineIds: tab.lines.map((l) => l.id) });
    expect({ code: all.code, field: all.field }).toEqual({ code: 'BB_VALIDATION', field: 'lineIds' });

    const foreign = await bartender.error('till.splitTab', { tabId: tab.id, lineIds: [tab.lines[0]!.id, other.lines[0]!.id] });
    expect({ code: foreign.code, field: foreign.field }).toEqual({ code: 'BB_NOT_FOUND', field: 'lineIds.1' });

    await bartender.call('till.voidTabLine', { tabId: tab.id, lineId: tab.lines[2]!.id, reason: 'Rang twice' });
    const voided = await bartender.error('till.splitTab', { tabId: tab.id, lineIds: [tab.lines[2]!.id] });
    expect({ code: voided.code, field: voided.field }).toEqual({ code: 'BB_LINE_VOIDED', field: 'lineIds.0' });
    // Two lines are left open: splitting both would leave nothing.
    const both = await bartender.error('till.splitTab', { tabId: tab.id, lineIds: [tab.lines[0]!.id, tab.lines[1]!.id] });
    expect(both.code).toBe('BB_VALIDATION');

    const twice = await bartender.error('till.splitTab', { tabId: tab.id, lineIds: [tab.lines[0]!.id, tab.lines[0]!.id] });
    expect(twice.code).toBe('BB_VALIDATION');

    expect((await bartender.call('till.getTab', { id: tab.id })).lines).toHaveLength(3);
    expect((await bartender.call('till.getTab', { id: other.id })).lines).toHaveLength(3);
  });

  it('refuses a paid tab and another venue’s tab', async () => {
    const tab = await roundOfThree();
    await bartender.call('till.closeTab', { tabId: tab.id, payments: [{ method: 'cash', amountCents: tab.grossCents }] });
    const closed = await bartender.error('till.splitTab', { tabId: tab.id, lineIds: [tab.lines[0]!.id] });
    expect(closed.code).toBe('BB_TAB_CLOSED');

    const mine = await roundOfThree();
    const stranger = (await createVenue(rig, 'split-stranger')).manager;
    const elsewhere = await stranger.error('till.splitTab', { tabId: mine.id, lineIds: [mine.lines[0]!.id] });
    expect(elsewhere.code).toBe('BB_NOT_FOUND');
    expect((await bartender.call('till.getTab', { id: mine.id })).lines).toHaveLength(3);
  });
});
