/**
 * What venue.updateSettings puts on the change stream (issue 16):
 * venue.settingsUpdated with the settings before and after, on the venue;
 * nothing when the settings are saved as they were or a bartender tries.
 */
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { waitForPublished } from '../../../helpers/events.js';
import { emittedDuring, onlyEvent } from '../../../helpers/emitted.js';
import { asBartender, createVenue, refusal, startRig, type Caller, type Rig, type Venue } from '../../../helpers/venue.js';

let rig: Rig;
let venue: Venue;
let bartender: Caller;
let primary: pg.Pool;

beforeAll(async () => {
  rig = await startRig();
  venue = await createVenue(rig, 'venue-events');
  bartender = await asBartender(venue);
  primary = await rig.primary();
});
afterAll(async () => {
  await rig?.close();
});

describe('venue.updateSettings', () => {
  it('emits venue.settingsUpdated with the settings before and after, once per change', async () => {
    const { venueId } = venue;
    const initial = await venue.manager.call('venue.getSettings', {});
    expect(initial.bartendersMayVoid).toBe(true);
    const changed = await emittedDuring(primary, venueId, () => venue.manager.call('venue.updateSettings', { bartendersMayVoid: false }));
    const data = onlyEvent(changed, { type: 'venue.settingsUpdated', venueId, aggregateType: 'venue', aggregateId: venueId });
    expect(data).toEqual({ before: initial, after: changed.result });
    expect(changed.result).toEqual({ ...initial, bartendersMayVoid: false });
    expect(await venue.manager.call('venue.getSettings', {})).toEqual(changed.result);

    const same = await emittedDuring(primary, venueId, () => venue.manager.call('venue.updateSettings', { bartendersMayVoid: false }));
    expect(same.events).toEqual([]);

    const back = await emittedDuring(primary, venueId, () => venue.manager.call('venue.updateSettings', { bartendersMayVoid: true }));
    expect(onlyEvent(back, { type: 'venue.settingsUpdated', venueId, aggregateType: 'venue', aggregateId: venueId })).toEqual({
      before: changed.result,
      after: initial,
    });
  });

  it('emits nothing for a bartender (managers only)', async () => {
    const refused = await emittedDuring(primary, venue.venueId, () => refusal(bartender.call('venue.updateSettings', { bartendersMayVoid: false })));
    expect(refused.result).toMatchObject({ statusCode: 403 });
    expect(refused.events).toEqual([]);
  });

  it('publishes its events to the stream', async () => {
    const events = await waitForPublished(primary, venue.venueId);
    expect(events.filter((e) => e.type === 'venue.settingsUpdated')).toHaveLength(2);
  });
});
