/**
 * Every manager action is refused to a bartender with 403, whatever the
 * input, records nothing, and leaves an access.denied entry in the audit log.
 * The till is open to bartenders.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { ActionName, RequestOf } from '@barback/messaging';
import {
  addStaff,
  asBartender,
  auditRows,
  countRows,
  createProduct,
  createVenue,
  newStaff,
  passwordHash,
  productInput,
  serving,
  startRig,
  type Caller,
  type Product,
  type Rig,
  type Venue,
} from '../../helpers/venue.js';

let rig: Rig;
let venue: Venue;
let bartender: Caller;
let product: Product;
let saleId: string;

beforeAll(async () => {
  rig = await startRig();
  venue = await createVenue(rig, 'roles');
  bartender = await asBartender(venue);
  product = await createProduct(venue.manager);
  const sale = await venue.manager.call('sales.recordSale', {
    lines: [{ servingId: serving(product, 'Pint').id, quantity: 1 }],
    payments: [{ method: 'cash', amountCents: 560 }],
  });
  saleId = sale.id;
});
afterAll(async () => {
  await rig?.close();
});

type Attempt = { [A in ActionName]: [A, () => Promise<RequestOf<A>>] }[ActionName];

const managerActions = (): Attempt[] => [
  ['catalogue.createProduct', async () => productInput()],
  ['catalogue.updateProduct', async () => ({ id: product.id, name: 'Renamed by a bartender' })],
  ['sales.refundSale', async () => ({ saleId, reason: 'bartender refund' })],
  ['staff.createStaff', async () => ({ ...newStaff('sneaky', 'manager'), passwordHash: await passwordHash() })],
  ['staff.disableStaff', async () => ({ staffId: venue.manager.staffId })],
  ['staff.listStaff', async () => ({})],
  ['audit.listAuditEntries', async () => ({})],
];

describe('manager actions', () => {
  it('are refused to a bartender with 403, each audited as access.denied', async () => {
    const before = await auditRows(rig, venue.venueId, 'access.denied');
    const attempted: string[] = [];
    for (const [action, payload] of managerActions()) {
      const err = await bartender.error(action, await payload());
      expect({ action, code: err.code, statusCode: err.statusCode }).toEqual({ action, code: 'BB_FORBIDDEN', statusCode: 403 });
      attempted.push(action);
    }
    const after = await auditRows(rig, venue.venueId, 'access.denied');
    const fresh = after.slice(before.length);
    expect(fresh.map((r) => r.details['attempted'])).toEqual(attempted);
    expect(fresh.every((r) => r.staff_id === bartender.staffId)).toBe(true);
  });

  it('change nothing when refused', async () => {
    const products = await countRows(rig, 'products', venue.venueId);
    const staff = await countRows(rig, 'staff', venue.venueId);
    for (const [action, payload] of managerActions()) await bartender.error(action, await payload());
    expect(await countRows(rig, 'products', venue.venueId)).toBe(products);
    expect(await countRows(rig, 'staff', venue.venueId)).toBe(staff);
    expect(await countRows(rig, 'refunds', venue.venueId)).toBe(0);
    expect((await venue.manager.call('catalogue.getProduct', { id: product.id })).name).toBe(product.name);
    // The manager is still active.
    expect((await venue.manager.call('auth.me', {})).staff.id).toBe(venue.manager.staffId);
  });

  it('are refused before anything else is looked at: an unknown id is still 403, not 404', async () => {
    const err = await bartender.error('catalogue.updateProduct', { id: randomUUID(), name: 'x' });
    expect(err).toMatchObject({ code: 'BB_FORBIDDEN', statusCode: 403 });
    const refund = await bartender.error('sales.refundSale', { saleId: randomUUID(), reason: 'x' });
    expect(refund).toMatchObject({ code: 'BB_FORBIDDEN', statusCode: 403 });
  });

  it('all work for a manager, including a second manager the first one created', async () => {
    const second = await addStaff(venue, 'manager');
    const made = await second.call('catalogue.createProduct', productInput());
    expect(made.id).toEqual(expect.any(String));
    expect((await second.call('staff.listStaff', {})).items.map((s) => s.id)).toEqual(expect.arrayContaining([venue.manager.staffId, second.staffId, bartender.staffId]));
    expect((await second.call('audit.listAuditEntries', {})).items.length).toBeGreaterThan(0);
  });
});

describe('the till', () => {
  it('is open to a bartender: catalogue reads, tabs, quick sales and sale reads', async () => {
    expect((await bartender.call('catalogue.listProducts', {})).items.map((p) => p.id)).toContain(product.id);
    expect((await bartender.call('catalogue.getProduct', { id: product.id })).id).toBe(product.id);
    const tab = await bartender.call('till.openTab', { name: 'Bar 1' });
    const withLine = await bartender.call('till.addTabLine', { tabId: tab.id, servingId: serving(product, 'Half').id, quantity: 1 });
    await bartender.call('till.voidTabLine', { tabId: tab.id, lineId: withLine.lines[0]!.id, reason: 'wrong button' });
    await bartender.call('till.addTabLine', { tabId: tab.id, servingId: serving(product, 'Half').id, quantity: 1 });
    const sale = await bartender.call('till.closeTab', { tabId: tab.id, payments: [{ method: 'cash', amountCents: 300 }] });
    expect((await bartender.call('sales.getSale', { id: sale.id })).grossCents).toBe(300);
    expect((await bartender.call('sales.listSales', {})).items.map((s) => s.id)).toContain(sale.id);
  });
});
