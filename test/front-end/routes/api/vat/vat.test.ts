/**
 * The VAT routes (operationIds getVatReturn, getVatWorkings,
 * getTradingDetails) over HTTP: a delivery and a credit note in a past period
 * by invoice date, a sale today in the current one, the ROS figures, a bad
 * period or a second way of naming dates refused with 400 naming the field,
 * and managers only.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { ReplyOf } from '@barback/messaging';
import { httpBar, quickSale, type HttpBar } from '../../../../helpers/api.js';

type VatReturn = ReplyOf<'vat.getVatReturn'>;
let bar: HttpBar;

/** The two-month period running today in Dublin, by its first month. */
function currentPeriod(): string {
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Dublin' }).format(new Date());
  const month = Number(today.slice(5, 7));
  return `${today.slice(0, 4)}-${String(month % 2 === 1 ? month : month - 1).padStart(2, '0')}`;
}

beforeAll(async () => {
  bar = await httpBar();
  const m = bar.a.manager;
  const supplier = await m.post('/api/v1/suppliers', { name: 'Liffey Wholesale' });
  expect(supplier.statusCode).toBe(201);
  const supplierId = supplier.json<{ id: string }>().id;
  // 3 kegs at €151.17 on 10 September 2026: net 45351, VAT 23% 10430.73 → 10431.
  const d1 = await m.post('/api/v1/deliveries', {
    supplierId,
    invoiceNumber: 'INV-9',
    invoiceDate: '2026-09-10',
    lines: [{ productId: bar.aProduct.id, quantity: 3, unitCostCents: 15_117 }],
  });
  expect(d1.statusCode).toBe(201);
  // A keg credited on 30 October: net −15117, VAT −3476.91 → −3477.
  const c1 = await m.post('/api/v1/deliveries', {
    supplierId,
    invoiceNumber: 'CN-9',
    invoiceDate: '2026-10-30',
    kind: 'creditNote',
    lines: [{ productId: bar.aProduct.id, quantity: 1, unitCostCents: 15_117 }],
  });
  expect(c1.statusCode).toBe(201);
});
afterAll(async () => {
  await bar?.frontEnd.close();
  await bar?.worker.stop();
});

describe('GET /api/v1/vat/return', () => {
  it('answers the VAT3 of a past period, cents and ROS whole euro', async () => {
    const res = await bar.a.manager.get('/api/v1/vat/return?period=2026-09');
    expect(res.statusCode).toBe(200);
    // T2 = 10431 − 3477 = 6954: €69.54 → 70; no sales, so T4 = 70.
    expect(res.json<VatReturn>()).toEqual({
      from: '2026-09-01',
      to: '2026-10-31',
      sales: [],
      purchases: [{ vatRateBp: 2300, netCents: 30_234, vatCents: 6954 }],
      T1Cents: 0,
      T2Cents: 6954,
      T3Cents: 0,
      T4Cents: 6954,
      E1Cents: 0,
      E2Cents: 0,
      ES1Cents: 0,
      ES2Cents: 0,
      PA1Cents: 0,
      ros: { T1: 0, T2: 70, T3: 0, T4: 70, E1: 0, E2: 0, ES1: 0, ES2: 0, PA1: 0 },
      openTabsAtEnd: 0,
    });
    // The same dates given as from and to answer the same.
    const dates = await bar.a.manager.get('/api/v1/vat/return?from=2026-09-01&to=2026-10-31');
    expect(dates.json()).toEqual(res.json());
  });

  it('shows a sale the manager just rang in the current period at once (read-your-writes)', async () => {
    const before = (await bar.a.manager.get(`/api/v1/vat/return?period=${currentPeriod()}`)).json<VatReturn>();
    // A half of the default stout: €3.00 at 23%, VAT 300 × 23/123 = 56.10 → 56.
    await quickSale(bar.a.manager, bar.aProduct);
    const after = (await bar.a.manager.get(`/api/v1/vat/return?period=${currentPeriod()}`)).json<VatReturn>();
    expect(after.T1Cents - before.T1Cents).toBe(56);
  });

  it('refuses a period that does not start a two-month period, and two ways at once, naming the field', async () => {
    const feb = await bar.a.manager.get('/api/v1/vat/return?period=2026-02');
    expect(feb.statusCode).toBe(400);
    expect(feb.json()).toMatchObject({ error: { code: 'BB_VALIDATION', field: 'period' } });
    expect(feb.json<{ error: { message: string } }>().error.message).toContain('January, March, May, July, September or November');
    const both = await bar.a.manager.get('/api/v1/vat/return?period=2026-09&from=2026-09-01');
    expect(both.statusCode).toBe(400);
    expect(both.json()).toMatchObject({ error: { code: 'BB_VALIDATION', field: 'from' } });
    const none = await bar.a.manager.get('/api/v1/vat/return');
    expect(none.statusCode).toBe(400);
    expect(none.json()).toMatchObject({ error: { field: 'period' } });
    const backwards = await bar.a.manager.get('/api/v1/vat/return?from=2026-09-02&to=2026-09-01');
    expect(backwards.json()).toMatchObject({ error: { field: 'to' } });
  });

  it('is for managers: a bartender gets 403 on every VAT route', async () => {
    for (const url of ['/api/v1/vat/return?period=2026-09', '/api/v1/vat/workings?period=2026-09', '/api/v1/vat/trading-details?year=2026']) {
      const res = await bar.aBartender.get(url);
      expect(res.statusCode).toBe(403);
    }
  });
});

describe('GET /api/v1/vat/workings and /api/v1/vat/trading-details', () => {
  it('lists the documents counted, and the year with its periods', async () => {
    const w = await bar.a.manager.get('/api/v1/vat/workings?period=2026-09');
    expect(w.statusCode).toBe(200);
    expect(w.json<ReplyOf<'vat.getVatWorkings'>>().items.map((i) => [i.date, i.kind, i.netCents, i.vatCents])).toEqual([
      ['2026-09-10', 'invoice', 45_351, 10_431],
      ['2026-10-30', 'creditNote', -15_117, -3477],
    ]);
    const t = await bar.a.manager.get('/api/v1/vat/trading-details?year=2026');
    expect(t.statusCode).toBe(200);
    const rtd = t.json<ReplyOf<'vat.getTradingDetails'>>();
    expect(rtd.periods.find((p) => p.period === '2026-09')).toEqual({ period: '2026-09', from: '2026-09-01', to: '2026-10-31', T1Cents: 0, T2Cents: 6954 });
    expect(rtd.purchasesVatCents).toBe(6954);
    expect((await bar.a.manager.get('/api/v1/vat/trading-details?year=twenty')).json()).toMatchObject({ error: { field: 'year' } });
  });
});
