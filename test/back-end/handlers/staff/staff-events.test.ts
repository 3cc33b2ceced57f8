/**
 * What the staff area's writes put on the change stream (issue 16):
 * staff.created, staff.disabled, staff.pinSet, till.enrolled and
 * till.revoked, field by field against the reply, never with a password
 * or PIN hash or a till's key; a refused or no-op write emits nothing.
 */
import { createHash, randomBytes } from 'node:crypto';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { waitForPublished } from '../../../helpers/events.js';
import { emittedDuring, onlyEvent } from '../../../helpers/emitted.js';
import { asBartender, createVenue, newStaff, passwordHash, refusal, startRig, type Caller, type Rig, type Venue } from '../../../helpers/venue.js';

let rig: Rig;
let venue: Venue;
let bartender: Caller;
let primary: pg.Pool;
let venueId: string;

beforeAll(async () => {
  rig = await startRig();
  venue = await createVenue(rig, 'staff-events');
  bartender = await asBartender(venue);
  primary = await rig.primary();
  venueId = venue.venueId;
});
afterAll(async () => {
  await rig?.close();
});

// A PIN's hash is the same argon2id kind as a password's.
const pinHash = () => passwordHash();

describe('staff.createStaff and disableStaff', () => {
  it('emit staff.created and staff.disabled: the account as the reply gives it, without its hash', async () => {
    const who = newStaff('events', 'bartender');
    const created = await emittedDuring(primary, venueId, async () => venue.manager.call('staff.createStaff', { ...who, passwordHash: await passwordHash() }));
    const member = created.result;
    const createdData = onlyEvent(created, { type: 'staff.created', venueId, aggregateType: 'staff', aggregateId: member.id });
    expect(createdData).toEqual(member);
    expect(createdData).toMatchObject({ name: who.name, email: who.email, role: 'bartender', active: true, mustChangePassword: true, hasPin: false });

    const disabled = await emittedDuring(primary, venueId, () => venue.manager.call('staff.disableStaff', { staffId: member.id }));
    const disabledData = onlyEvent(disabled, { type: 'staff.disabled', venueId, aggregateType: 'staff', aggregateId: member.id });
    expect(disabledData).toEqual(disabled.result);
    expect(disabledData).toMatchObject({ id: member.id, active: false });

    // Disabled already: nothing changes, nothing is announced.
    const again = await emittedDuring(primary, venueId, () => venue.manager.call('staff.disableStaff', { staffId: member.id }));
    expect(again.events).toEqual([]);
  });

  it('emit nothing for a bartender (managers only) or an email taken', async () => {
    const byBartender = await emittedDuring(primary, venueId, async () =>
      refusal(bartender.call('staff.createStaff', { ...newStaff('nope'), passwordHash: await passwordHash() })),
    );
    expect(byBartender.result).toMatchObject({ statusCode: 403 });
    expect(byBartender.events).toEqual([]);

    const taken = await emittedDuring(primary, venueId, async () =>
      refusal(venue.manager.call('staff.createStaff', { ...newStaff('dup'), email: bartender.session.staff.email, passwordHash: await passwordHash() })),
    );
    expect(taken.result).toMatchObject({ code: 'BB_EMAIL_TAKEN' });
    expect(taken.events).toEqual([]);
  });
});

describe('staff.setStaffPin', () => {
  it('emits staff.pinSet: whose PIN, and the manager who set it', async () => {
    const emitted = await emittedDuring(primary, venueId, async () =>
      venue.manager.call('staff.setStaffPin', { staffId: bartender.staffId, pinHash: await pinHash() }),
    );
    const data = onlyEvent(emitted, { type: 'staff.pinSet', venueId, aggregateType: 'staff', aggregateId: bartender.staffId });
    expect(data).toEqual({ staffId: bartender.staffId, name: bartender.session.staff.name, setBy: venue.manager.staffId });
    expect(emitted.result.hasPin).toBe(true);
  });
});

describe('staff.enrolTill and revokeTill', () => {
  it('emit till.enrolled and till.revoked once, with the till as the reply gives it and never its key', async () => {
    const keyHash = createHash('sha256').update(randomBytes(32).toString('base64url')).digest('base64url');
    const enrolled = await emittedDuring(primary, venueId, () => venue.manager.call('staff.enrolTill', { name: 'Back bar', keyHash }));
    const till = enrolled.result;
    const enrolledData = onlyEvent(enrolled, { type: 'till.enrolled', venueId, aggregateType: 'till', aggregateId: till.id });
    expect(enrolledData).toEqual(till);
    expect(enrolledData).toMatchObject({ name: 'Back bar', revokedAt: null });
    expect(JSON.stringify(enrolled.events)).not.toContain(keyHash);

    const revoked = await emittedDuring(primary, venueId, () => venue.manager.call('staff.revokeTill', { tillId: till.id }));
    const revokedData = onlyEvent(revoked, { type: 'till.revoked', venueId, aggregateType: 'till', aggregateId: till.id });
    expect(revokedData).toEqual(revoked.result);
    expect(revoked.result.revokedAt).not.toBeNull();

    const again = await emittedDuring(primary, venueId, () => venue.manager.call('staff.revokeTill', { tillId: till.id }));
    expect(again.events).toEqual([]);
  });
});

it('publishes every event of the venue to the stream', async () => {
  const events = await waitForPublished(primary, venueId);
  expect(events.map((e) => e.type)).toEqual(expect.arrayContaining(['staff.created', 'staff.disabled', 'staff.pinSet', 'till.enrolled', 'till.revoked']));
});
