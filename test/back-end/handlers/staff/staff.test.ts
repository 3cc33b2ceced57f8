/**
 * Staff accounts (back-end/src/handlers/staff/): a created account is in the
 * manager's venue with an initial password to change, its email is unique,
 * the list is by name; a disabled account is refused on its next request.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import {
  addStaff,
  auditRows,
  Caller,
  countRows,
  createVenue,
  newStaff,
  passwordHash,
  startRig,
  type Rig,
  type Venue,
} from '../../../helpers/venue.js';

let rig: Rig;
let venue: Venue;

beforeAll(async () => {
  rig = await startRig();
  venue = await createVenue(rig, 'staff');
});
afterAll(async () => {
  await rig?.close();
});

describe('creating an account', () => {
  it("puts it in the manager's venue, with a password to change, audited without the hash", async () => {
    const who = newStaff('new', 'bartender');
    const hash = await passwordHash();
    const member = await venue.manager.call('staff.createStaff', { ...who, passwordHash: hash });
    expect(member).toMatchObject({ name: who.name, email: who.email, role: 'bartender', active: true, mustChangePassword: true });
    expect(Date.parse(member.createdAt)).not.toBeNaN();
    expect(JSON.stringify(member)).not.toContain('argon2');

    const db = await rig.primary();
    const stored = await db.query('SELECT venue_id, password_hash, must_change_password FROM staff WHERE id = $1', [member.id]);
    expect(stored.rows[0]).toEqual({ venue_id: venue.venueId, password_hash: hash, must_change_password: true });

    const audit = await auditRows(rig, venue.venueId, 'staff.create');
    const entry = audit.find((r) => r.entity_id === member.id);
    expect(entry).toMatchObject({ staff_id: venue.manager.staffId, details: { name: who.name, email: who.email, role: 'bartender' } });
    expect(JSON.stringify(entry)).not.toContain('argon2');
  });

  it('refuses an email already in use, in any venue and any case, naming the field', async () => {
    const who = newStaff('dup');
    await venue.manager.call('staff.createStaff', { ...who, passwordHash: await passwordHash() });
    const before = await countRows(rig, 'staff', venue.venueId);
    const again = await venue.manager.error('staff.createStaff', { ...newStaff('dup2'), email: who.email.toUpperCase(), passwordHash: await passwordHash() });
    expect(again).toMatchObject({ code: 'BB_EMAIL_TAKEN', statusCode: 409, field: 'email' });
    // The other venue's manager's email is taken too (email names one account everywhere).
    const other = await createVenue(rig, 'staff-other');
    const cross = await venue.manager.error('staff.createStaff', { ...newStaff('dup3'), email: other.manager.session.staff.email, passwordHash: await passwordHash() });
    expect(cross).toMatchObject({ code: 'BB_EMAIL_TAKEN', field: 'email' });
    expect(await countRows(rig, 'staff', venue.venueId)).toBe(before);
  });

  it('lists the venue staff by name', async () => {
    const other = await createVenue(rig, 'list');
    for (const name of ['Zoe', 'aoife', 'Mick']) {
      await other.manager.call('staff.createStaff', { ...newStaff('list'), name, passwordHash: await passwordHash() });
    }
    const list = await other.manager.call('staff.listStaff', {});
    const names = list.items.map((s) => s.name);
    expect(names).toHaveLength(4);
    expect(names).toEqual([...names].sort((x, y) => x.localeCompare(y, 'en', { sensitivity: 'base' })));
    expect(names.filter((n) => ['Zoe', 'aoife', 'Mick'].includes(n))).toEqual(['aoife', 'Mick', 'Zoe']);
    expect(list.items.every((s) => typeof s.active === 'boolean' && typeof s.mustChangePassword === 'boolean')).toBe(true);
  });
});

describe('disabling an account', () => {
  it('refuses its next request with 401 whatever it still holds, and is audited', async () => {
    const leaver = await addStaff(venue, 'bartender', { label: 'leaver' });
    const tab = await leaver.call('till.openTab', { name: 'Leaver tab' });
    const disabled = await venue.manager.call('staff.disableStaff', { staffId: leaver.staffId });
    expect(disabled).toMatchObject({ id: leaver.staffId, active: false });

    for (const attempt of [
      leaver.error('auth.me', {}),
      leaver.error('catalogue.listProducts', {}),
      leaver.error('till.getTab', { id: tab.id }),
      leaver.error('till.openTab', { name: 'After leaving' }),
      leaver.error('auth.setPassword', { passwordHash: await passwordHash() }),
    ]) {
      expect(await attempt).toMatchObject({ code: 'BB_SESSION_INVALID', statusCode: 401 });
    }
    // A message naming the account with a different venue is refused the same way.
    const other = await createVenue(rig, 'spoof');
    const spoof = new Caller(rig, { staffId: leaver.staffId, venueId: other.venueId }, leaver.session);
    expect(await spoof.error('auth.me', {})).toMatchObject({ code: 'BB_SESSION_INVALID', statusCode: 401 });

    // It can no longer log in either.
    const begin = await rig.client.call('auth.beginLogin', { email: leaver.session.staff.email, client: '192.0.2.1' });
    expect(begin.account).toBeNull();

    const audit = await auditRows(rig, venue.venueId, 'staff.disable');
    expect(audit.find((r) => r.entity_id === leaver.staffId)).toMatchObject({ staff_id: venue.manager.staffId });
    const listed = await venue.manager.call('staff.listStaff', {});
    expect(listed.items.find((s) => s.id === leaver.staffId)).toMatchObject({ active: false });
  });

  it('is not possible for a manager on their own account', async () => {
    const err = await venue.manager.error('staff.disableStaff', { staffId: venue.manager.staffId });
    expect(err).toMatchObject({ code: 'BB_CONFLICT', statusCode: 409 });
    expect((await venue.manager.call('auth.me', {})).staff.id).toBe(venue.manager.staffId);
  });

  it('of an id that is not staff of the venue answers 404', async () => {
    const err = await venue.manager.error('staff.disableStaff', { staffId: randomUUID() });
    expect(err).toMatchObject({ code: 'BB_NOT_FOUND', statusCode: 404 });
  });

  it('lets a manager disable another manager', async () => {
    const other = await addStaff(venue, 'manager', { label: 'other-manager' });
    expect((await venue.manager.call('staff.disableStaff', { staffId: other.staffId })).active).toBe(false);
    expect(await other.error('staff.listStaff', {})).toMatchObject({ code: 'BB_SESSION_INVALID', statusCode: 401 });
  });
});
