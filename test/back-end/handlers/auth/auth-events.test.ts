/**
 * What the auth area's writes put on the change stream (issue 16):
 * registering emits venue.registered and staff.created (on the new venue,
 * with no caller to take it from); a password or PIN sign-in emits
 * staff.signedIn, a refused one nothing; changing one's password or PIN,
 * logging out and signing out everywhere emit theirs. Never a password, a
 * PIN, a hash or a till's key.
 */
import { createHash, randomBytes } from 'node:crypto';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { venueOutbox, waitForPublished } from '../../../helpers/events.js';
import { emittedDuring, envelope, onlyEvent, type Emitted } from '../../../helpers/emitted.js';
import { addStaff, Caller, createVenue, newAccount, passwordHash, startRig, type Rig, type Venue } from '../../../helpers/venue.js';

let rig: Rig;
let venue: Venue;
let primary: pg.Pool;
let venueId: string;

beforeAll(async () => {
  rig = await startRig();
  venue = await createVenue(rig, 'auth-events');
  primary = await rig.primary();
  venueId = venue.venueId;
});
afterAll(async () => {
  await rig?.close();
});

const CLIENT = '192.0.2.16';

/** A password sign-in of `who` that the front end found right: its session id. */
async function signIn(who: Caller): Promise<string> {
  const done = await rig.client.call('auth.finishLogin', { email: who.session.staff.email, client: CLIENT, staffId: who.staffId, success: true });
  if (!done.session) throw new Error(`sign-in refused: ${JSON.stringify(done)}`);
  return done.session.sessionId;
}

/** `who` calling as one of its sessions. */
const inSession = (who: Caller, sessionId: string) => new Caller(rig, { ...who.actor, sessionId }, who.session);

describe('auth.register', () => {
  it('emits venue.registered then staff.created, on the new venue, without the password hash', async () => {
    const account = newAccount('register-events');
    const hash = await passwordHash();
    const startedAt = Date.now();
    const session = await rig.client.call('auth.register', { venueName: account.venueName, name: account.name, email: account.email, passwordHash: hash });
    const endedAt = Date.now();
    const newVenue = session.venue.id;
    const events = await venueOutbox(primary, newVenue);
    const emitted: Emitted<unknown> = { result: session, events, startedAt, endedAt };
    expect(events.map((e) => e.type)).toEqual(['venue.registered', 'staff.created']);

    const registered = envelope(emitted, events[0], { type: 'venue.registered', venueId: newVenue, aggregateType: 'venue', aggregateId: newVenue });
    expect(registered).toEqual({ name: account.venueName });

    const created = envelope(emitted, events[1], { type: 'staff.created', venueId: newVenue, aggregateType: 'staff', aggregateId: session.staff.id });
    const manager = new Caller(rig, { staffId: session.staff.id, venueId: newVenue }, session);
    const listed = (await manager.call('staff.listStaff', {})).items.find((s) => s.id === session.staff.id);
    expect(created).toEqual(listed);
    expect(created).toMatchObject({ name: account.name, email: account.email, role: 'manager', active: true, mustChangePassword: false, hasPin: false });
    expect(JSON.stringify(events)).not.toContain(hash);
  });
});

describe('auth.finishLogin', () => {
  it('emits staff.signedIn for a right password, and nothing for a wrong one', async () => {
    const who = await addStaff(venue, 'bartender', { label: 'login-events' });
    const refused = await emittedDuring(primary, venueId, () =>
      rig.client.call('auth.finishLogin', { email: who.session.staff.email, client: CLIENT, staffId: who.staffId, success: false }),
    );
    expect(refused.result.session).toBeNull();
    expect(refused.events).toEqual([]);

    const signedIn = await emittedDuring(primary, venueId, () => signIn(who));
    const data = onlyEvent(signedIn, { type: 'staff.signedIn', venueId, aggregateType: 'staff', aggregateId: who.staffId });
    expect(data).toEqual({ staffId: who.staffId, name: who.session.staff.name, via: 'password' });
    // The session's id is a bearer credential: not on the stream.
    expect(JSON.stringify(signedIn.events)).not.toContain(signedIn.result);
  });
});

describe('auth.finishPinLogin', () => {
  it('emits staff.signedIn via pin for a right PIN on an enrolled till, and nothing for a wrong one', async () => {
    const who = await addStaff(venue, 'bartender', { label: 'pin-events' });
    await venue.manager.call('staff.setStaffPin', { staffId: who.staffId, pinHash: await passwordHash() });
    const tillKeyHash = createHash('sha256').update(randomBytes(32).toString('base64url')).digest('base64url');
    const till = await venue.manager.call('staff.enrolTill', { name: 'Pin events', keyHash: tillKeyHash });
    const proof = { tillId: till.id, tillKeyHash, staffId: who.staffId };

    const wrong = await emittedDuring(primary, venueId, () => rig.client.call('auth.finishPinLogin', { ...proof, success: false }));
    expect(wrong.result.session).toBeNull();
    expect(wrong.events).toEqual([]);

    const right = await emittedDuring(primary, venueId, () => rig.client.call('auth.finishPinLogin', { ...proof, success: true }));
    expect(right.result.session?.staff.id).toBe(who.staffId);
    const data = onlyEvent(right, { type: 'staff.signedIn', venueId, aggregateType: 'staff', aggregateId: who.staffId });
    expect(data).toEqual({ staffId: who.staffId, name: who.session.staff.name, via: 'pin' });
    expect(JSON.stringify(right.events)).not.toContain(tillKeyHash);
  });
});

describe('auth.setPassword and setPin', () => {
  it('emits staff.passwordChanged, without the hash', async () => {
    const who = await addStaff(venue, 'bartender', { label: 'password-events', changePassword: false });
    const hash = await passwordHash();
    const emitted = await emittedDuring(primary, venueId, () => who.call('auth.setPassword', { passwordHash: hash }));
    const data = onlyEvent(emitted, { type: 'staff.passwordChanged', venueId, aggregateType: 'staff', aggregateId: who.staffId });
    expect(data).toEqual({ staffId: who.staffId, name: who.session.staff.name });
    expect(JSON.stringify(emitted.events)).not.toContain(hash);
  });

  it('emits staff.signedOut (others) as well when the change ends the person’s other sessions', async () => {
    const who = await addStaff(venue, 'bartender', { label: 'password-sessions' });
    const here = await signIn(who);
    await signIn(who);
    const emitted = await emittedDuring(primary, venueId, async () => inSession(who, here).call('auth.setPassword', { passwordHash: await passwordHash() }));
    expect(emitted.events.map((e) => e.type).sort()).toEqual(['staff.passwordChanged', 'staff.signedOut']);
    const signedOut = emitted.events.find((e) => e.type === 'staff.signedOut');
    const data = envelope(emitted, signedOut, { type: 'staff.signedOut', venueId, aggregateType: 'staff', aggregateId: who.staffId });
    expect(data).toEqual({ staffId: who.staffId, name: who.session.staff.name, sessions: 'others' });
  });

  it('emits staff.pinSet for one’s own PIN, set by oneself', async () => {
    const who = await addStaff(venue, 'bartender', { label: 'own-pin' });
    const emitted = await emittedDuring(primary, venueId, async () => who.call('auth.setPin', { pinHash: await passwordHash() }));
    const data = onlyEvent(emitted, { type: 'staff.pinSet', venueId, aggregateType: 'staff', aggregateId: who.staffId });
    expect(data).toEqual({ staffId: who.staffId, name: who.session.staff.name, setBy: who.staffId });
  });
});

describe('auth.logout and signOutEverywhere', () => {
  it('emit staff.signedOut: this session, then every other one', async () => {
    const who = await addStaff(venue, 'bartender', { label: 'logout-events' });
    const first = await signIn(who);
    const second = await signIn(who);
    await signIn(who);

    const everywhere = await emittedDuring(primary, venueId, () => inSession(who, second).call('auth.signOutEverywhere', {}));
    expect(everywhere.result.sessionsEnded).toBe(2);
    expect(onlyEvent(everywhere, { type: 'staff.signedOut', venueId, aggregateType: 'staff', aggregateId: who.staffId })).toEqual({
      staffId: who.staffId,
      name: who.session.staff.name,
      sessions: 'others',
    });
    expect(JSON.stringify(everywhere.events)).not.toContain(first);

    const logout = await emittedDuring(primary, venueId, () => inSession(who, second).call('auth.logout', {}));
    expect(logout.result.sessionsEnded).toBe(1);
    expect(onlyEvent(logout, { type: 'staff.signedOut', venueId, aggregateType: 'staff', aggregateId: who.staffId })).toEqual({
      staffId: who.staffId,
      name: who.session.staff.name,
      sessions: 'this',
    });
  });
});

it('publishes every event of the venue to the stream', async () => {
  const events = await waitForPublished(primary, venueId);
  expect(events.map((e) => e.type)).toEqual(expect.arrayContaining(['staff.signedIn', 'staff.passwordChanged', 'staff.signedOut', 'staff.pinSet']));
});
