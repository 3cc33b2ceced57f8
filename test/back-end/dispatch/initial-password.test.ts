/**
 * An account that still has its initial password can do nothing but see
 * itself and change it (admit() in back-end/src/dispatch.ts), whatever its
 * role; once changed, it works.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { ActionName, RequestOf } from '@barback/messaging';
import {
  addStaff,
  auditRows,
  countRows,
  createProduct,
  createVenue,
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
  venue = await createVenue(rig, 'initial-password');
});
afterAll(async () => {
  await rig?.close();
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
      const err = await fresh.error(action, payload);
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
      const err = await freshManager.error(action, payload);
      expect({ action, code: err.code }).toEqual({ action, code: 'BB_PASSWORD_CHANGE_REQUIRED' });
    }
    await freshManager.call('auth.setPassword', { passwordHash: await passwordHash() });
    expect((await freshManager.call('staff.listStaff', {})).items.map((s) => s.id)).toContain(freshManager.staffId);
  });
});
