/**
 * Tills (back-end/src/handlers/staff/enrol-till.ts, list-tills.ts,
 * revoke-till.ts): a manager enrols a browser as a till, sending only the
 * hash of its secret; the venue's tills are listed; a revoked till signs no
 * one in; everything is the manager's, and in their own venue only.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { addStaff, auditRows, createVenue, startRig, wire, type Caller, type Rig, type Venue } from '../../../helpers/venue.js';

let rig: Rig;
let venue: Venue;

beforeAll(async () => {
  rig = await startRig();
  venue = await createVenue(rig, 'tills');
});
afterAll(async () => {
  await rig?.close();
});

/** A till's secret and the hash the front end sends for it. */
function tillKey() {
  const secret = randomBytes(32).toString('base64url');
  return { secret, keyHash: createHash('sha256').update(secret).digest('base64url') };
}

function enrol(manager: Caller, name: string) {
  const { keyHash } = tillKey();
  return manager.call('staff.enrolTill', { name, keyHash }).then((till) => ({ till, keyHash }));
}

describe('enrolling a till', () => {
  it('stores only the hash of its secret, names the manager, and is audited', async () => {
    const { secret, keyHash } = tillKey();
    const till = await venue.manager.call('staff.enrolTill', { name: '  Bar 1 ', keyHash });
    expect(till).toMatchObject({ name: 'Bar 1', createdBy: venue.manager.session.staff.name, lastSeenAt: null, revokedAt: null });
    const db = await rig.primary();
    const stored = await db.query('SELECT venue_id, key_hash, created_by FROM tills WHERE id = $1', [till.id]);
    expect(stored.rows[0]).toEqual({ venue_id: venue.venueId, key_hash: keyHash, created_by: venue.manager.staffId });
    expect(JSON.stringify(await db.query('SELECT * FROM tills WHERE id = $1', [till.id]))).not.toContain(secret);
    const audit = await auditRows(rig, venue.venueId, 'till.enrol');
    expect(audit.find((r) => r.entity_id === till.id)).toMatchObject({ staff_id: venue.manager.staffId, details: { name: 'Bar 1' } });
  });

  it('refuses a second working till of the same name, naming the field; a revoked one frees the name', async () => {
    const { till } = await enrol(venue.manager, 'Lounge');
    const again = await venue.manager.error('staff.enrolTill', { name: 'lounge', keyHash: tillKey().keyHash });
    expect(again).toMatchObject({ code: 'BB_NAME_TAKEN', statusCode: 409, field: 'name' });
    await venue.manager.call('staff.revokeTill', { tillId: till.id });
    expect((await enrol(venue.manager, 'Lounge')).till.name).toBe('Lounge');
  });

  it('refuses a key that is not a SHA-256 in base64url before it reaches the database', async () => {
    const err = await venue.manager.error('staff.enrolTill', { name: 'Bad key', keyHash: 'not a hash' });
    expect(err).toMatchObject({ code: 'BB_VALIDATION', statusCode: 400, field: 'keyHash' });
  });

  it("is a manager's action: a bartender is refused, and the attempt audited", async () => {
    const bartender = await addStaff(venue, 'bartender', { label: 'till-bartender' });
    const err = await bartender.error('staff.enrolTill', { name: 'Sneaky', keyHash: tillKey().keyHash });
    expect(err).toMatchObject({ code: 'BB_FORBIDDEN', statusCode: 403 });
    expect(await bartender.error('staff.listTills', {})).toMatchObject({ code: 'BB_FORBIDDEN' });
    const denied = await auditRows(rig, venue.venueId, 'access.denied');
    expect(denied.filter((r) => r.staff_id === bartender.staffId).map((r) => r.details.attempted)).toEqual(
      expect.arrayContaining(['staff.enrolTill', 'staff.listTills']),
    );
  });
});

describe('listing and revoking tills', () => {
  it("lists the venue's own tills only, working ones first", async () => {
    const mine = await createVenue(rig, 'till-list');
    const other = await createVenue(rig, 'till-list-other');
    const a = await enrol(mine.manager, 'Bar A');
    const b = await enrol(mine.manager, 'Bar B');
    await enrol(other.manager, 'Elsewhere');
    await mine.manager.call('staff.revokeTill', { tillId: a.till.id });
    const list = await mine.manager.call('staff.listTills', {});
    expect(list.items.map((t) => [t.name, t.revokedAt === null])).toEqual([
      ['Bar B', true],
      ['Bar A', false],
    ]);
    expect(list.items[0]!.id).toBe(b.till.id);
  });

  it('revokes once: audited once, a repeat answers the same till', async () => {
    const { till } = await enrol(venue.manager, 'Terrace');
    const revoked = await venue.manager.call('staff.revokeTill', { tillId: till.id });
    expect(revoked.revokedAt).not.toBeNull();
    const again = await venue.manager.call('staff.revokeTill', { tillId: till.id });
    expect(again.revokedAt).toBe(revoked.revokedAt);
    const audit = await auditRows(rig, venue.venueId, 'till.revoke');
    expect(audit.filter((r) => r.entity_id === till.id)).toEqual([
      expect.objectContaining({ staff_id: venue.manager.staffId, details: { name: 'Terrace' } }),
    ]);
  });

  it("answers another venue's till exactly like an unknown id, and leaves it working", async () => {
    const other = await createVenue(rig, 'till-cross');
    const { till, keyHash } = await enrol(other.manager, 'Their bar');
    const cross = await venue.manager.error('staff.revokeTill', { tillId: till.id });
    const unknown = await venue.manager.error('staff.revokeTill', { tillId: randomUUID() });
    expect(cross).toMatchObject({ code: 'BB_NOT_FOUND', statusCode: 404 });
    expect(wire(cross)).toEqual(wire(unknown));
    const screen = await rig.client.call('auth.listTillStaff', { tillId: till.id, tillKeyHash: keyHash });
    expect(screen.till.name).toBe('Their bar');
  });

  it('stops a revoked till at once: its lock screen and both halves of a PIN sign-in are refused', async () => {
    const { till, keyHash } = await enrol(venue.manager, 'Soon gone');
    const proof = { tillId: till.id, tillKeyHash: keyHash };
    expect((await rig.client.call('auth.listTillStaff', proof)).till.id).toBe(till.id);
    await venue.manager.call('staff.revokeTill', { tillId: till.id });
    const staffId = venue.manager.staffId;
    // One call at a time: a call started early could reject before its expect is attached.
    for (const attempt of [
      () => rig.client.call('auth.listTillStaff', proof),
      () => rig.client.call('auth.beginPinLogin', { ...proof, staffId }),
      () => rig.client.call('auth.finishPinLogin', { ...proof, staffId, success: true }),
    ]) {
      await expect(attempt()).rejects.toMatchObject({ code: 'BB_TILL_NOT_ENROLLED', statusCode: 401 });
    }
  });
});
