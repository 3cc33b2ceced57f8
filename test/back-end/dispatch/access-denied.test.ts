/**
 * Refused manager actions in the audit log, at most ACCESS_DENIED_PER_MINUTE
 * rows per person per minute (back-end/src/queries/access-denied.ts): each
 * refusal is still a 403, but a script retrying cannot fill the log.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ACCESS_DENIED_PER_MINUTE } from '../../../back-end/src/queries/access-denied.js';
import { asBartender, auditRows, createVenue, refusal, startRig, type Rig, type Venue } from '../../helpers/venue.js';

let rig: Rig;
let venue: Venue;

beforeAll(async () => {
  rig = await startRig();
  venue = await createVenue(rig, 'denied');
});
afterAll(async () => {
  await rig?.close();
});

describe('refused manager actions', () => {
  it('are audited up to the limit per person per minute, and refused every time', async () => {
    const [sneaky, other] = [await asBartender(venue), await asBartender(venue)];
    const tries = ACCESS_DENIED_PER_MINUTE + 4;
    for (let i = 0; i < tries; i += 1) {
      const err = await refusal(sneaky.call(i % 2 === 0 ? 'staff.listStaff' : 'audit.listAuditEntries', {}));
      expect({ code: err.code, statusCode: err.statusCode }).toEqual({ code: 'BB_FORBIDDEN', statusCode: 403 });
    }
    const rows = (await auditRows(rig, venue.venueId, 'access.denied')).filter((r) => r.staff_id === sneaky.staffId);
    expect(rows).toHaveLength(ACCESS_DENIED_PER_MINUTE);
    expect(rows.map((r) => r.details['attempted'])).toEqual(
      Array.from({ length: ACCESS_DENIED_PER_MINUTE }, (_, i) => (i % 2 === 0 ? 'staff.listStaff' : 'audit.listAuditEntries')),
    );

    // Someone else's refusals are counted apart.
    expect((await refusal(other.call('staff.listStaff', {}))).code).toBe('BB_FORBIDDEN');
    expect((await auditRows(rig, venue.venueId, 'access.denied')).filter((r) => r.staff_id === other.staffId)).toHaveLength(1);
  });
});
