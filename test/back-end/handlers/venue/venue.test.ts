/**
 * The venue's settings (back-end/src/handlers/venue/): read by anyone on the
 * staff, changed by a manager only, the change audited, one venue's choice
 * never another's.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { asBartender, auditRows, createVenue, startRig, type Caller, type Rig, type Venue } from '../../../helpers/venue.js';

let rig: Rig;
let venue: Venue;
let bartender: Caller;

beforeAll(async () => {
  rig = await startRig();
  venue = await createVenue(rig, 'settings');
  bartender = await asBartender(venue);
});
afterAll(async () => {
  await rig?.close();
});

describe('venue settings', () => {
  it('start as before settings existed: bartenders may void', async () => {
    expect(await venue.manager.call('venue.getSettings', {})).toEqual({ bartendersMayVoid: true, businessDayStartHour: 6 });
    expect(await bartender.call('venue.getSettings', {})).toEqual({ bartendersMayVoid: true, businessDayStartHour: 6 });
  });

  it('are changed by a manager, with the change in the audit log, and left alone by saving them unchanged', async () => {
    const other = await createVenue(rig, 'settings-other');
    expect(await venue.manager.call('venue.updateSettings', { bartendersMayVoid: false })).toEqual({ bartendersMayVoid: false, businessDayStartHour: 6 });
    expect(await bartender.call('venue.getSettings', {})).toEqual({ bartendersMayVoid: false, businessDayStartHour: 6 });
    const audited = await auditRows(rig, venue.venueId, 'venue.settings');
    expect(audited).toEqual([
      expect.objectContaining({ staff_id: venue.manager.staffId, entity_id: venue.venueId, details: { bartendersMayVoid: { from: true, to: false } } }),
    ]);

    // The same again: nothing changes, nothing more is audited.
    expect(await venue.manager.call('venue.updateSettings', { bartendersMayVoid: false })).toEqual({ bartendersMayVoid: false, businessDayStartHour: 6 });
    expect(await auditRows(rig, venue.venueId, 'venue.settings')).toHaveLength(1);

    // Another venue keeps its own.
    expect(await other.manager.call('venue.getSettings', {})).toEqual({ bartendersMayVoid: true, businessDayStartHour: 6 });
    expect(await auditRows(rig, other.venueId, 'venue.settings')).toHaveLength(0);

    expect(await venue.manager.call('venue.updateSettings', { bartendersMayVoid: true })).toEqual({ bartendersMayVoid: true, businessDayStartHour: 6 });
    expect((await auditRows(rig, venue.venueId, 'venue.settings')).map((r) => r.details)).toEqual([
      { bartendersMayVoid: { from: true, to: false } },
      { bartendersMayVoid: { from: false, to: true } },
    ]);
  });

  it('refuse a bartender’s change, audit the attempt, and keep the settings', async () => {
    const refused = await bartender.error('venue.updateSettings', { bartendersMayVoid: false });
    expect(refused.code).toBe('BB_FORBIDDEN');
    expect(refused.statusCode).toBe(403);
    expect(await venue.manager.call('venue.getSettings', {})).toEqual({ bartendersMayVoid: true, businessDayStartHour: 6 });
    const denied = await auditRows(rig, venue.venueId, 'access.denied');
    expect(denied).toContainEqual(expect.objectContaining({ staff_id: bartender.staffId, details: { attempted: 'venue.updateSettings' } }));
  });

  it('refuse a value that is not true or false, naming the field', async () => {
    const refused = await venue.manager.error('venue.updateSettings', { bartendersMayVoid: 'no' as unknown as boolean });
    expect(refused.code).toBe('BB_VALIDATION');
    expect(refused.field).toBe('bartendersMayVoid');
  });
});
