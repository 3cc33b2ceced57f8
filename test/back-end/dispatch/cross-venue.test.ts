/**
 * Venues are sealed off from each other: every operation that takes an id
 * answers another venue's id with 404, exactly as it answers an id that does
 * not exist (same code, same message), so ids cannot be probed; and lists
 * never show another venue's rows.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { ActionName, RequestOf } from '@barback/messaging';
import {
  asBartender,
  countRows,
  createProduct,
  createVenue,
  serving,
  startRig,
  wire,
  type Caller,
  type Product,
  type Rig,
  type Sale,
  type Tab,
  type Venue,
} from '../../helpers/venue.js';

let rig: Rig;
/** The venue whose ids are probed. */
let a: Venue;
let aBartender: Caller;
let aProduct: Product;
let aTab: Tab;
let aSale: Sale;
/** The venue doing the probing, through its manager (who may call every action). */
let b: Venue;
let bProduct: Product;
let bTab: Tab;
let bSale: Sale;

beforeAll(async () => {
  rig = await startRig();
  a = await createVenue(rig, 'venue-a');
  b = await createVenue(rig, 'venue-b');
  aBartender = await asBartender(a);
  aProduct = await createProduct(a.manager);
  bProduct = await createProduct(b.manager);
  aTab = await a.manager.call('till.openTab', { name: 'A tab' });
  aTab = await a.manager.call('till.addTabLine', { tabId: aTab.id, servingId: serving(aProduct, 'Pint').id, quantity: 1 });
  bTab = await b.manager.call('till.openTab', { name: 'B tab' });
  bTab = await b.manager.call('till.addTabLine', { tabId: bTab.id, servingId: serving(bProduct, 'Pint').id, quantity: 1 });
  const sale = (caller: Caller, product: Product) =>
    caller.call('sales.recordSale', { lines: [{ servingId: serving(product, 'Half').id, quantity: 1 }], payments: [{ method: 'cash', amountCents: 300 }] });
  aSale = await sale(a.manager, aProduct);
  bSale = await sale(b.manager, bProduct);
});
afterAll(async () => {
  await rig?.close();
});

type Probe = { [A in ActionName]: { what: string; action: A; foreign: () => RequestOf<A>; unknown: () => RequestOf<A> } }[ActionName];

const probes = (): Probe[] => {
  const aPint = serving(aProduct, 'Pint').id;
  const bPint = serving(bProduct, 'Pint').id;
  const aLine = aTab.lines[0]!.id;
  const aSaleLine = aSale.lines[0]!.id;
  return [
    { what: 'getProduct', action: 'catalogue.getProduct', foreign: () => ({ id: aProduct.id }), unknown: () => ({ id: randomUUID() }) },
    {
      what: 'updateProduct',
      action: 'catalogue.updateProduct',
      foreign: () => ({ id: aProduct.id, name: 'Taken over' }),
      unknown: () => ({ id: randomUUID(), name: 'Taken over' }),
    },
    { what: 'getTab', action: 'till.getTab', foreign: () => ({ id: aTab.id }), unknown: () => ({ id: randomUUID() }) },
    {
      what: 'addTabLine (tabId)',
      action: 'till.addTabLine',
      foreign: () => ({ tabId: aTab.id, servingId: bPint, quantity: 1 }),
      unknown: () => ({ tabId: randomUUID(), servingId: bPint, quantity: 1 }),
    },
    {
      what: 'addTabLine (servingId)',
      action: 'till.addTabLine',
      foreign: () => ({ tabId: bTab.id, servingId: aPint, quantity: 1 }),
      unknown: () => ({ tabId: bTab.id, servingId: randomUUID(), quantity: 1 }),
    },
    {
      what: 'voidTabLine (tabId)',
      action: 'till.voidTabLine',
      foreign: () => ({ tabId: aTab.id, lineId: aLine, reason: 'probe' }),
      unknown: () => ({ tabId: randomUUID(), lineId: randomUUID(), reason: 'probe' }),
    },
    {
      what: 'voidTabLine (lineId)',
      action: 'till.voidTabLine',
      foreign: () => ({ tabId: bTab.id, lineId: aLine, reason: 'probe' }),
      unknown: () => ({ tabId: bTab.id, lineId: randomUUID(), reason: 'probe' }),
    },
    {
      what: 'closeTab',
      action: 'till.closeTab',
      foreign: () => ({ tabId: aTab.id, payments: [{ method: 'cash', amountCents: 560 }] }),
      unknown: () => ({ tabId: randomUUID(), payments: [{ method: 'cash', amountCents: 560 }] }),
    },
    { what: 'getSale', action: 'sales.getSale', foreign: () => ({ id: aSale.id }), unknown: () => ({ id: randomUUID() }) },
    {
      what: 'refundSale (saleId)',
      action: 'sales.refundSale',
      foreign: () => ({ saleId: aSale.id, reason: 'probe' }),
      unknown: () => ({ saleId: randomUUID(), reason: 'probe' }),
    },
    {
      what: 'refundSale (lineIds)',
      action: 'sales.refundSale',
      foreign: () => ({ saleId: bSale.id, reason: 'probe', lineIds: [aSaleLine] }),
      unknown: () => ({ saleId: bSale.id, reason: 'probe', lineIds: [randomUUID()] }),
    },
    { what: 'disableStaff', action: 'staff.disableStaff', foreign: () => ({ staffId: aBartender.staffId }), unknown: () => ({ staffId: randomUUID() }) },
    {
      what: 'recordSale (servingId)',
      action: 'sales.recordSale',
      foreign: () => ({ lines: [{ servingId: aPint, quantity: 1 }], payments: [{ method: 'cash', amountCents: 560 }] }),
      unknown: () => ({ lines: [{ servingId: randomUUID(), quantity: 1 }], payments: [{ method: 'cash', amountCents: 560 }] }),
    },
  ];
};

describe("another venue's id", () => {
  const names = [
    'getProduct',
    'updateProduct',
    'getTab',
    'addTabLine (tabId)',
    'addTabLine (servingId)',
    'voidTabLine (tabId)',
    'voidTabLine (lineId)',
    'closeTab',
    'getSale',
    'refundSale (saleId)',
    'refundSale (lineIds)',
    'disableStaff',
    'recordSale (servingId)',
  ];
  for (const probe of names) {
    it(`${probe}: 404, exactly like an id that does not exist`, async () => {
      const p = probes().find((x) => x.what === probe);
      if (!p) throw new Error(`no probe named ${probe}`);
      const foreign = wire(await b.manager.error(p.action, p.foreign()));
      const unknown = wire(await b.manager.error(p.action, p.unknown()));
      expect(foreign).toMatchObject({ code: 'BB_NOT_FOUND', statusCode: 404 });
      expect(foreign).toEqual(unknown);
    });
  }

  it('probes every operation listed above', () => {
    expect(probes().map((p) => p.what)).toEqual(names);
  });

  it("updateProduct with another venue's serving id in its servings: refused exactly like an unknown serving id", async () => {
    const bHalf = serving(bProduct, 'Half');
    const withServing = (id: string) => ({
      id: bProduct.id,
      servings: [
        { id, name: 'Pint', ml: 568, priceCents: 999 },
        { id: bHalf.id, name: 'Half', ml: 284, priceCents: 300 },
      ],
    });
    const foreign = wire(await b.manager.error('catalogue.updateProduct', withServing(serving(aProduct, 'Pint').id)));
    const unknown = wire(await b.manager.error('catalogue.updateProduct', withServing(randomUUID())));
    expect(foreign.statusCode).toBeGreaterThanOrEqual(400);
    expect(foreign.statusCode).toBeLessThan(500);
    expect(foreign).toEqual(unknown);
    const untouched = await a.manager.call('catalogue.getProduct', { id: aProduct.id });
    expect(serving(untouched, 'Pint').priceCents).toBe(560);
  });

  it('left everything of the probed venue as it was', async () => {
    const tab = await a.manager.call('till.getTab', { id: aTab.id });
    expect(tab).toMatchObject({ status: 'open', grossCents: 560 });
    expect(tab.lines).toHaveLength(1);
    expect(tab.lines[0]!.voided).toBe(false);
    expect((await a.manager.call('catalogue.getProduct', { id: aProduct.id })).name).toBe(aProduct.name);
    const sale = await a.manager.call('sales.getSale', { id: aSale.id });
    expect(sale.refunds).toEqual([]);
    expect(sale.lines.every((l) => !l.refunded)).toBe(true);
    expect((await aBartender.call('auth.me', {})).staff.id).toBe(aBartender.staffId);
    expect(await countRows(rig, 'refunds', a.venueId)).toBe(0);
    // B's own tab did not gain A's serving.
    expect((await b.manager.call('till.getTab', { id: bTab.id })).lines).toHaveLength(1);
    // Nothing of B's touches A's tables.
    expect(await countRows(rig, 'tab_lines', a.venueId, { sql: 'AND tab_id = $2', values: [bTab.id] })).toBe(0);
  });
});

describe('lists', () => {
  it("never show another venue's rows", async () => {
    const products = await b.manager.call('catalogue.listProducts', {});
    expect(products.items.map((p) => p.id)).toEqual([bProduct.id]);
    const tabs = await b.manager.call('till.listOpenTabs', {});
    expect(tabs.items.map((t) => t.id)).toEqual([bTab.id]);
    const sales = await b.manager.call('sales.listSales', {});
    expect(sales.items.map((s) => s.id)).toEqual([bSale.id]);
    const staff = await b.manager.call('staff.listStaff', {});
    expect(staff.items.map((s) => s.id)).toEqual([b.manager.staffId]);
    const audit = await b.manager.call('audit.listAuditEntries', {});
    const aIds = new Set([a.manager.staffId, aBartender.staffId]);
    expect(audit.items.some((e) => (e.staffId && aIds.has(e.staffId)) || e.entityId === aProduct.id || e.entityId === aTab.id)).toBe(false);
  });
});
