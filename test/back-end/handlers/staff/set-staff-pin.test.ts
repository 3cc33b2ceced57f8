/**
 * Till PINs (back-end/src/handlers/staff/set-staff-pin.ts and
 * auth/set-pin.ts): only an argon2id hash is taken and stored, a manager sets
 * anyone's in their own venue, a person sets their own, and both are audited
 * without the hash.
 */
import { randomUUID } from 'node:crypto';
import argon2 from 'argon2';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { addStaff, auditRows, createVenue, startRig, wire, type Rig, type Venue } from '../../../helpers/venue.js';

let rig: Rig;
let venue: Venue;
let pinHash: string;

beforeAll(async () => {
  rig = await startRig();
  venue = await createVenue(rig, 'pins');
  pinHash = await argon2.hash('2580', { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 });
});
afterAll(async () => {
  await rig?.close();
});

async function storedPin(staffId: string): Promise<{ pin_hash: string; set_by: string } | undefined> {
  const db = await rig.primary();
  const { rows } = await db.query<{ pin_hash: string; set_by: string }>('SELECT pin_hash, set_by FROM staff_pins WHERE staff_id = $1', [staffId]);
  return rows[0];
}

describe("a manager setting someone's PIN", () => {
  it('stores the hash, shows hasPin in the staff list, and audits it without the hash', async () => {
    const bartender = await addStaff(venue, 'bartender', { label: 'pin-bartender' });
    const before = await venue.manager.call('staff.listStaff', {});
    expect(before.items.find((m) => m.id === bartender.staffId)?.hasPin).toBe(false);

    const member = await venue.manager.call('staff.setStaffPin', { staffId: bartender.staffId, pinHash });
    expect(member).toMatchObject({ id: bartender.staffId, hasPin: true });
    expect(await storedPin(bartender.staffId)).toEqual({ pin_hash: pinHash, set_by: venue.manager.staffId });
    const after = await venue.manager.call('staff.listStaff', {});
    expect(after.items.find((m) => m.id === bartender.staffId)?.hasPin).toBe(true);

    const audit = await auditRows(rig, venue.venueId, 'staff.pinSet');
    const entry = audit.find((r) => r.entity_id === bartender.staffId);
    expect(entry).toMatchObject({ staff_id: venue.manager.staffId, details: { name: bartender.session.staff.name, hadPin: false } });
    expect(JSON.stringify(audit)).not.toContain('argon2');
  });

  it('refuses a plain PIN: only an argon2id hash crosses the broker', async () => {
    const bartender = await addStaff(venue, 'bartender', { label: 'pin-plain' });
    const err = await venue.manager.error('staff.setStaffPin', { staffId: bartender.staffId, pinHash: '2580' });
    expect(err).toMatchObject({ code: 'BB_VALIDATION', statusCode: 400, field: 'pinHash' });
    expect(await storedPin(bartender.staffId)).toBeUndefined();
  });

  it("answers another venue's account like an unknown id, and refuses a disabled one", async () => {
    const other = await createVenue(rig, 'pins-other');
    const cross = await venue.manager.error('staff.setStaffPin', { staffId: other.manager.staffId, pinHash });
    const unknown = await venue.manager.error('staff.setStaffPin', { staffId: randomUUID(), pinHash });
    expect(cross).toMatchObject({ code: 'BB_NOT_FOUND', statusCode: 404 });
    expect(wire(cross)).toEqual(wire(unknown));
    expect(await storedPin(other.manager.staffId)).toBeUndefined();

    const leaver = await addStaff(venue, 'bartender', { label: 'pin-leaver' });
    await venue.manager.call('staff.disableStaff', { staffId: leaver.staffId });
    expect(await venue.manager.error('staff.setStaffPin', { staffId: leaver.staffId, pinHash })).toMatchObject({
      code: 'BB_CONFLICT',
      statusCode: 409,
    });
  });

  it("is a manager's action: a bartender cannot set another's PIN", async () => {
    const bartender = await addStaff(venue, 'bartender', { label: 'pin-sneaky' });
    const err = await bartender.error('staff.setStaffPin', { staffId: venue.manager.staffId, pinHash });
    expect(err).toMatchObject({ code: 'BB_FORBIDDEN', statusCode: 403 });
    expect(await storedPin(venue.manager.staffId)).toBeUndefined();
  });
});

describe('setting your own PIN', () => {
  it('stores the hash for the caller only, audited as a PIN change', async () => {
    const bartender = await addStaff(venue, 'bartender', { label: 'pin-own' });
    const set = await bartender.call('auth.setPin', { pinHash });
    expect(set.staffId).toBe(bartender.staffId);
    expect(Date.parse(set.pinSetAt)).not.toBeNaN();
    expect(await storedPin(bartender.staffId)).toEqual({ pin_hash: pinHash, set_by: bartender.staffId });
    const audit = await auditRows(rig, venue.venueId, 'auth.pinChange');
    expect(audit.find((r) => r.entity_id === bartender.staffId)).toMatchObject({ staff_id: bartender.staffId });
  });

  it('is refused before the initial password is changed', async () => {
    const fresh = await addStaff(venue, 'bartender', { label: 'pin-fresh', changePassword: false });
    expect(await fresh.error('auth.setPin', { pinHash })).toMatchObject({ code: 'BB_PASSWORD_CHANGE_REQUIRED', statusCode: 403 });
  });
});
