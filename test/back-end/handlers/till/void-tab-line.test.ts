/**
 * Who may void a line (back-end/src/handlers/till/void-tab-line.ts): a
 * bartender while the venue lets them (the default), only a manager once a
 * manager has said so (venue.updateSettings), whatever the page showed.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { asBartender, auditRows, createProduct, createVenue, serving, startRig, type Caller, type Rig, type Venue } from '../../../helpers/venue.js';

let rig: Rig;
let venue: Venue;
let bartender: Caller;
let pintId: string;

beforeAll(async () => {
  rig = await startRig();
  venue = await createVenue(rig, 'void-setting');
  bartender = await asBartender(venue);
  pintId = serving(await createProduct(venue.manager), 'Pint').id;
});
afterAll(async () => {
  await rig?.close();
});

async function tabWithPints(caller: Caller, pints: number) {
  let tab = await caller.call('till.openTab', { name: 'Table 9' });
  for (let i = 0; i < pints; i += 1) tab = await caller.call('till.addTabLine', { tabId: tab.id, servingId: pintId, quantity: 1 });
  return tab;
}

describe('voiding a line', () => {
  it('is open to bartenders by default', async () => {
    const tab = await tabWithPints(bartender, 2);
    const after = await bartender.call('till.voidTabLine', { tabId: tab.id, lineId: tab.lines[1]!.id, reason: 'Rang twice' });
    expect(after.lines.map((l) => l.voided)).toEqual([false, true]);
    expect(after.grossCents).toBe(560);
  });

  it('is refused to a bartender when the venue keeps it to managers, and a manager still may', async () => {
    const tab = await tabWithPints(bartender, 2);
    await venue.manager.call('venue.updateSettings', { bartendersMayVoid: false });
    try {
      const refused = await bartender.error('till.voidTabLine', { tabId: tab.id, lineId: tab.lines[0]!.id, reason: 'Spilt' });
      expect(refused.code).toBe('BB_FORBIDDEN');
      expect(refused.statusCode).toBe(403);
      expect(refused.message).toMatch(/Only a manager can void a line/);
      // Nothing voided, nothing audited as a void.
      const unchanged = await bartender.call('till.getTab', { id: tab.id });
      expect(unchanged.lines.every((l) => !l.voided)).toBe(true);
      expect((await auditRows(rig, venue.venueId, 'tab.void')).filter((r) => r.entity_id === tab.id)).toHaveLength(0);

      const byManager = await venue.manager.call('till.voidTabLine', { tabId: tab.id, lineId: tab.lines[0]!.id, reason: 'Spilt' });
      expect(byManager.lines.map((l) => l.voided)).toEqual([true, false]);
      expect((await auditRows(rig, venue.venueId, 'tab.void')).filter((r) => r.entity_id === tab.id)).toEqual([
        expect.objectContaining({ staff_id: venue.manager.staffId, reason: 'Spilt' }),
      ]);
    } finally {
      await venue.manager.call('venue.updateSettings', { bartendersMayVoid: true });
    }
    const again = await bartender.call('till.voidTabLine', { tabId: tab.id, lineId: tab.lines[1]!.id, reason: 'Changed mind' });
    expect(again.grossCents).toBe(0);
  });

  it('follows each venue’s own setting', async () => {
    const other = await createVenue(rig, 'void-setting-other');
    const otherBartender = await asBartender(other);
    const otherPint = serving(await createProduct(other.manager), 'Pint').id;
    await venue.manager.call('venue.updateSettings', { bartendersMayVoid: false });
    try {
      let tab = await otherBartender.call('till.openTab', { name: 'Snug' });
      tab = await otherBartender.call('till.addTabLine', { tabId: tab.id, servingId: otherPint, quantity: 1 });
      const voided = await otherBartender.call('till.voidTabLine', { tabId: tab.id, lineId: tab.lines[0]!.id, reason: 'Rang in error' });
      expect(voided.lines[0]!.voided).toBe(true);
    } finally {
      await venue.manager.call('venue.updateSettings', { bartendersMayVoid: true });
    }
  });
});
