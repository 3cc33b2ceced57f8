/**
 * Staff accounts and the audit trail: a created account must change its
 * initial password before anything else; a disabled account is refused on its
 * next request; the audit log is append-only at the database and filterable.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import type { ActionName, RequestOf } from '@barback/messaging';
import {
  addStaff,
  auditRows,
  Caller,
  countRows,
  createProduct,
  createVenue,
  newStaff,
  passwordHash,
  productInput,
  serving,
  startRig,
  type Rig,
  type Venue,
} from '../../helpers/venue.js';

let rig: Rig;
let venue: Venue;

beforeAll(async () => {
  rig = await startRig();
  venue = await createVenue(rig, 'staff');
});
afterAll(async () => {
  await rig?.close();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

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

describe('an account with its initial password', () => {
  type Attempt = { [A in ActionName]: [A, RequestOf<A>] }[ActionName];

  it('can do nothing but see itself and change the password', async () => {
    const fresh = await addStaff(venue, 'bartender', { changePassword: false, label: 'fresh' });
    const product = await createProduct(venue.manager);
    const tab = await venue.manager.call('till.openTab', { name: 'Someone else' });
    const attempts: Attempt[] = [
      ['catalogue.listProducts', {}],
      ['catalogue.getProduct', { id: product.id }],
      ['till.openTab', { name: 'Before password' }],
      ['till.getTab', { id: tab.id }],
      ['till.listOpenTabs', {}],
      ['till.addTabLine', { tabId: tab.id, servingId: serving(product, 'Pint').id, quantity: 1 }],
      ['sales.recordSale', { lines: [{ servingId: serving(product, 'Pint').id, quantity: 1 }], payments: [{ method: 'cash', amountCents: 560 }] }],
      ['sales.listSales', {}],
    ];
    for (const [action, payload] of attempts) {
      const err = await fresh.error(action, payload as never);
      expect({ action, code: err.code, statusCode: err.statusCode }).toEqual({ action, code: 'BB_PASSWORD_CHANGE_REQUIRED', statusCode: 403 });
    }
    expect(await countRows(rig, 'tab_lines', venue.venueId, { sql: 'AND tab_id = $2', values: [tab.id] })).toBe(0);

    const me = await fresh.call('auth.me', {});
    expect(me.staff).toMatchObject({ id: fresh.staffId, mustChangePassword: true });
    const current = await fresh.call('auth.getPasswordHash', {});
    expect(current.passwordHash).toBe(await passwordHash());

    const { default: argon2 } = await import('argon2');
    const newHash = await argon2.hash('a brand new password', { type: argon2.argon2id });
    const session = await fresh.call('auth.setPassword', { passwordHash: newHash });
    expect(session.staff).toMatchObject({ id: fresh.staffId, mustChangePassword: false });
    expect(session.venue.id).toBe(venue.venueId);
    expect((await fresh.call('auth.getPasswordHash', {})).passwordHash).toBe(newHash);

    // Now the till works.
    expect((await fresh.call('catalogue.listProducts', {})).items.map((p) => p.id)).toContain(product.id);
    const opened = await fresh.call('till.openTab', { name: 'After password' });
    expect(opened.openedBy.id).toBe(fresh.staffId);

    // Audited, never with the hash.
    const changes = (await auditRows(rig, venue.venueId, 'auth.passwordChange')).filter((r) => r.staff_id === fresh.staffId);
    expect(changes).toHaveLength(1);
    expect(JSON.stringify(changes)).not.toContain('argon2');
    expect(JSON.stringify(changes)).not.toContain(newHash);
  });

  it('as a manager, is held back from manager actions too', async () => {
    const freshManager = await addStaff(venue, 'manager', { changePassword: false, label: 'fresh-manager' });
    for (const [action, payload] of [
      ['catalogue.createProduct', productInput()],
      ['staff.listStaff', {}],
      ['audit.listAuditEntries', {}],
    ] as Attempt[]) {
      const err = await freshManager.error(action, payload as never);
      expect({ action, code: err.code }).toEqual({ action, code: 'BB_PASSWORD_CHANGE_REQUIRED' });
    }
    await freshManager.call('auth.setPassword', { passwordHash: await passwordHash() });
    expect((await freshManager.call('staff.listStaff', {})).items.map((s) => s.id)).toContain(freshManager.staffId);
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
    const begin = await rig.client.call('auth.beginLogin', { email: leaver.session.staff.email });
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

describe('the audit trail', () => {
  it('refuses UPDATE, DELETE and TRUNCATE at the database', async () => {
    const own = await createVenue(rig, 'append-only');
    await createProduct(own.manager);
    await own.manager.call('staff.createStaff', { ...newStaff('audited'), passwordHash: await passwordHash() });
    const db = await rig.primary();
    const before = await db.query('SELECT id, action, details FROM audit_log WHERE venue_id = $1 ORDER BY id', [own.venueId]);
    expect(before.rows.length).toBeGreaterThan(0);
    await expect(db.query("UPDATE audit_log SET action = 'tampered' WHERE venue_id = $1", [own.venueId])).rejects.toMatchObject({
      code: '42501',
    });
    await expect(db.query('DELETE FROM audit_log WHERE venue_id = $1', [own.venueId])).rejects.toMatchObject({ code: '42501' });
    await expect(db.query('TRUNCATE audit_log')).rejects.toMatchObject({ code: '42501' });
    const after = await db.query('SELECT id, action, details FROM audit_log WHERE venue_id = $1 ORDER BY id', [own.venueId]);
    expect(after.rows).toEqual(before.rows);
  });

  it('lists newest first with who did it, filtered by action, staff member and time', async () => {
    const own = await createVenue(rig, 'audit-filter');
    const barman = await addStaff(own, 'bartender', { label: 'barman' });
    const db = await rig.primary();
    const clock = async () => (await db.query<{ now: Date }>('SELECT clock_timestamp() AS now')).rows[0]!.now;

    // Batch 1: the manager creates an account and the bartender tries to create a product.
    const first = await own.manager.call('staff.createStaff', { ...newStaff('first'), passwordHash: await passwordHash() });
    await barman.error('catalogue.createProduct', productInput());
    await sleep(5);
    const boundary = (await clock()).toISOString();
    await sleep(5);
    // Batch 2: another account, another refused attempt, a disabled account.
    const second = await own.manager.call('staff.createStaff', { ...newStaff('second'), passwordHash: await passwordHash() });
    await barman.error('staff.listStaff', {});
    const target = await addStaff(own, 'bartender', { label: 'target' });
    await own.manager.call('staff.disableStaff', { staffId: target.staffId });

    const all = (await own.manager.call('audit.listAuditEntries', {})).items;
    expect(all.length).toBeGreaterThanOrEqual(9);
    // Newest first.
    const times = all.map((e) => Date.parse(e.at));
    expect(times).toEqual([...times].sort((x, y) => y - x));
    expect(all.every((e) => /^\d+$/.test(e.id))).toBe(true);
    const ids = all.map((e) => BigInt(e.id));
    expect(ids).toEqual([...ids].sort((x, y) => (x > y ? -1 : x < y ? 1 : 0)));
    // Who did it, by name.
    const disable = all.find((e) => e.action === 'staff.disable')!;
    expect(disable).toMatchObject({ staffId: own.manager.staffId, staffName: own.manager.session.staff.name, entityType: 'staff', entityId: target.staffId });

    // By action.
    const denied = (await own.manager.call('audit.listAuditEntries', { action: 'access.denied' })).items;
    expect(denied.map((e) => e.details['attempted'])).toEqual(['staff.listStaff', 'catalogue.createProduct']);
    expect(denied.every((e) => e.staffId === barman.staffId && e.staffName === barman.session.staff.name)).toBe(true);

    // By staff member: everything the bartender did, and only that.
    const byBarman = (await own.manager.call('audit.listAuditEntries', { staffId: barman.staffId })).items;
    expect(byBarman.every((e) => e.staffId === barman.staffId)).toBe(true);
    expect(byBarman.map((e) => e.action).sort()).toEqual(['access.denied', 'access.denied', 'auth.passwordChange']);
    expect(byBarman).toEqual(all.filter((e) => e.staffId === barman.staffId));

    // By time: from the boundary on is batch 2 only, up to it batch 1 (and what came before).
    const after = (await own.manager.call('audit.listAuditEntries', { from: boundary })).items;
    expect(after).toEqual(all.filter((e) => Date.parse(e.at) >= Date.parse(boundary)));
    expect(after.some((e) => e.entityId === second.id)).toBe(true);
    expect(after.some((e) => e.entityId === first.id)).toBe(false);
    expect(after.some((e) => e.action === 'staff.disable')).toBe(true);
    const before = (await own.manager.call('audit.listAuditEntries', { to: boundary })).items;
    expect(before).toEqual(all.filter((e) => Date.parse(e.at) < Date.parse(boundary)));
    expect(before.some((e) => e.entityId === first.id)).toBe(true);
    expect(before.some((e) => e.entityId === second.id)).toBe(false);
    expect(before.length + after.length).toBe(all.length);

    // Filters combine.
    const combined = (await own.manager.call('audit.listAuditEntries', { from: boundary, action: 'access.denied', staffId: barman.staffId })).items;
    expect(combined.map((e) => e.details['attempted'])).toEqual(['staff.listStaff']);
    const none = (await own.manager.call('audit.listAuditEntries', { action: 'access.denied', staffId: own.manager.staffId })).items;
    expect(none).toEqual([]);
  });
});
