/**
 * PIN sign-in on a till through the real worker (back-end/src/handlers/auth/
 * list-till-staff.ts, begin-pin-login.ts, finish-pin-login.ts): only a
 * working till gets an answer, and only about its own venue's staff; five
 * wrong PINs lock that person (not anyone else) for 15 minutes; a right PIN
 * gives that person's session.
 */
import { createHash, randomBytes } from 'node:crypto';
import argon2 from 'argon2';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { addStaff, auditRows, createVenue, startRig, type Caller, type Rig, type Venue } from '../../../helpers/venue.js';

let rig: Rig;
let venue: Venue;
let pinHash: string;

beforeAll(async () => {
  rig = await startRig();
  venue = await createVenue(rig, 'pin-login');
  pinHash = await argon2.hash('2580', { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 });
});
afterAll(async () => {
  await rig?.close();
});

async function enrolTill(manager: Caller, name: string) {
  const keyHash = createHash('sha256').update(randomBytes(32).toString('base64url')).digest('base64url');
  const till = await manager.call('staff.enrolTill', { name, keyHash });
  return { tillId: till.id, tillKeyHash: keyHash };
}

async function withPin(v: Venue, label: string): Promise<Caller> {
  const person = await addStaff(v, 'bartender', { label });
  await v.manager.call('staff.setStaffPin', { staffId: person.staffId, pinHash });
  return person;
}

const finish = (proof: { tillId: string; tillKeyHash: string }, staffId: string, success: boolean) =>
  rig.client.call('auth.finishPinLogin', { ...proof, staffId, success });

describe('the lock screen', () => {
  it("lists the till's venue's active staff who have a PIN, by name", async () => {
    const v = await createVenue(rig, 'lock-list');
    const till = await enrolTill(v.manager, 'Bar 1');
    const withOne = await withPin(v, 'zed');
    await addStaff(v, 'bartender', { label: 'no-pin' });
    const leaver = await withPin(v, 'leaver');
    await v.manager.call('staff.disableStaff', { staffId: leaver.staffId });
    await withPin(venue, 'elsewhere');

    const screen = await rig.client.call('auth.listTillStaff', till);
    expect(screen.till).toEqual({ id: till.tillId, name: 'Bar 1' });
    expect(screen.venue).toMatchObject({ id: v.venueId, timeZone: 'Europe/Dublin' });
    expect(screen.staff).toEqual([{ id: withOne.staffId, name: withOne.session.staff.name, role: 'bartender', lockedUntil: null }]);
  });

  it('is refused to a wrong key', async () => {
    const till = await enrolTill(venue.manager, 'Key check');
    const wrong = { ...till, tillKeyHash: createHash('sha256').update('guess').digest('base64url') };
    await expect(rig.client.call('auth.listTillStaff', wrong)).rejects.toMatchObject({ code: 'BB_TILL_NOT_ENROLLED', statusCode: 401 });
  });
});

describe('signing in with a PIN', () => {
  it("gives the hash only for the till's own venue, and a session for a right PIN", async () => {
    const till = await enrolTill(venue.manager, 'Main bar');
    const person = await withPin(venue, 'pin-ok');
    const begin = await rig.client.call('auth.beginPinLogin', { ...till, staffId: person.staffId });
    expect(begin).toEqual({ pinHash, lockedUntil: null, timeZone: 'Europe/Dublin' });

    // Someone of another venue, or without a PIN: nothing to verify against.
    const other = await createVenue(rig, 'pin-other');
    const stranger = await withPin(other, 'stranger');
    expect((await rig.client.call('auth.beginPinLogin', { ...till, staffId: stranger.staffId })).pinHash).toBeNull();
    expect((await rig.client.call('auth.beginPinLogin', { ...till, staffId: venue.manager.staffId })).pinHash).toBeNull();
    const refused = await finish(till, stranger.staffId, true);
    expect(refused).toMatchObject({ session: null, lockedUntil: null });

    const done = await finish(till, person.staffId, true);
    expect(done.session).toMatchObject({ staff: { id: person.staffId, role: 'bartender' }, venue: { id: venue.venueId } });
    expect(done.till).toEqual({ id: till.tillId, name: 'Main bar' });
    const listed = await venue.manager.call('staff.listTills', {});
    expect(listed.items.find((t) => t.id === till.tillId)?.lastSeenAt).not.toBeNull();
  });

  it('locks that person after 5 wrong PINs for 15 minutes, on every till of the venue, and no one else', async () => {
    const till = await enrolTill(venue.manager, 'Lockout bar');
    const second = await enrolTill(venue.manager, 'Lockout bar 2');
    const guessed = await withPin(venue, 'guessed');
    const colleague = await withPin(venue, 'colleague');

    for (let i = 1; i <= 4; i += 1) {
      expect(await finish(till, guessed.staffId, false)).toMatchObject({ session: null, lockedUntil: null });
    }
    const fifth = await finish(till, guessed.staffId, false);
    expect(fifth.session).toBeNull();
    const minutes = (Date.parse(fifth.lockedUntil!) - Date.now()) / 60_000;
    expect(minutes).toBeGreaterThan(14.5);
    expect(minutes).toBeLessThanOrEqual(15);

    // Locked on the other till too, and even the right PIN does not get in.
    const begin = await rig.client.call('auth.beginPinLogin', { ...second, staffId: guessed.staffId });
    expect(begin.lockedUntil).toBe(fifth.lockedUntil);
    expect(await finish(second, guessed.staffId, true)).toMatchObject({ session: null, lockedUntil: fifth.lockedUntil });
    // A failure during the lock does not lengthen it.
    expect((await finish(till, guessed.staffId, false)).lockedUntil).toBe(fifth.lockedUntil);

    // The colleague on the same till is not affected.
    expect((await finish(till, colleague.staffId, true)).session?.staff.id).toBe(colleague.staffId);
    const screen = await rig.client.call('auth.listTillStaff', till);
    expect(screen.staff.find((s) => s.id === guessed.staffId)?.lockedUntil).toBe(fifth.lockedUntil);
    expect(screen.staff.find((s) => s.id === colleague.staffId)?.lockedUntil).toBeNull();

    // Audited once, naming the person and the till, not who typed.
    const audit = (await auditRows(rig, venue.venueId, 'auth.pinLockout')).filter((r) => r.entity_id === guessed.staffId);
    expect(audit).toEqual([expect.objectContaining({ staff_id: null, details: expect.objectContaining({ till: 'Lockout bar' }) })]);

    // A manager's new PIN lifts the lock.
    await venue.manager.call('staff.setStaffPin', { staffId: guessed.staffId, pinHash });
    expect((await finish(till, guessed.staffId, true)).session?.staff.id).toBe(guessed.staffId);
  });

  it('forgives wrong PINs once a right one gets in', async () => {
    const till = await enrolTill(venue.manager, 'Forgiving bar');
    const person = await withPin(venue, 'forgiven');
    for (let i = 0; i < 4; i += 1) await finish(till, person.staffId, false);
    expect((await finish(till, person.staffId, true)).session).not.toBeNull();
    for (let i = 0; i < 4; i += 1) expect((await finish(till, person.staffId, false)).lockedUntil).toBeNull();
  });

  it("gives a manager's PIN a manager's session", async () => {
    const till = await enrolTill(venue.manager, 'Manager bar');
    await venue.manager.call('staff.setStaffPin', { staffId: venue.manager.staffId, pinHash });
    const done = await finish(till, venue.manager.staffId, true);
    expect(done.session?.staff.role).toBe('manager');
  });
});
