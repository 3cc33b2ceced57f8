/**
 * The VAT3 and the RTD (issue 19) through the real broker, workers and
 * database, every figure worked by hand in the comments.
 *
 * Sales in past periods are inserted by SQL in the shape the quick sale
 * writes them (one statement: the closed tab, its lines at the rate in force
 * that day, its payment; the stock draw left out, VAT does not need it), with
 * their real past closing time. Shifting the timestamps of sales rung today
 * would not do: the day totals (migration 0020) are kept by triggers when the
 * rows are written, exactly as a bulk seed or an import writes them, so a row
 * must be written with its date. Refunds in past periods likewise (refunds,
 * then refund_lines, as insertRefund writes them). Deliveries take their
 * invoiceDate and go through the real action. What happens today (a sale,
 * a tab closed with a void, a refund of a September sale) goes through the
 * real actions, and is checked as the change it makes to the current period.
 */
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { ReplyOf } from '@barback/messaging';
import { vatTotalsMismatches } from '../../../helpers/vat-totals.js';
import { addStaff, createProduct, createVenue, serving, stoutBar, type Caller, type Product, type StoutBar, type Venue } from '../../../helpers/venue.js';

let bar: StoutBar;
let primary: pg.Pool;
let manager: Caller;
let crisps: Product;
let supplier: ReplyOf<'suppliers.createSupplier'>;
let other: Venue;

interface PastLine {
  servingId: string;
  productId: string;
  quantity: number;
  unitPriceCents: number;
  vatClass: 'standard' | 'reduced';
  rateBp: number;
  grossCents: number;
  vatCents: number;
  netCents: number;
}

const pint = (quantity = 1): PastLine => {
  // €5.60 at 23%: VAT 560 × 23/123 = 104.72 → 105, net 455; two: 1120 × 23/123 = 209.43 → 209, net 911.
  const gross = 560 * quantity;
  const vat = quantity === 1 ? 105 : quantity === 2 ? 209 : NaN;
  return { servingId: bar.pintId, productId: bar.stout.id, quantity, unitPriceCents: 560, vatClass: 'standard', rateBp: 2300, grossCents: gross, vatCents: vat, netCents: gross - vat };
};
const half = (): PastLine =>
  // €3.00 at 23%: 300 × 23/123 = 56.10 → 56, net 244.
  ({ servingId: bar.halfId, productId: bar.stout.id, quantity: 1, unitPriceCents: 300, vatClass: 'standard', rateBp: 2300, grossCents: 300, vatCents: 56, netCents: 244 });
const bags = (quantity: number, rateBp: 1350 | 900): PastLine => {
  // €2.00 a bag. One at 13.5%: 200 × 13.5/113.5 = 23.79 → 24; at 9%: 200 × 9/109 = 16.51 → 17.
  // Three at 9%: 600 × 9/109 = 49.54 → 50.
  const gross = 200 * quantity;
  const vat = ({ '1:1350': 24, '1:900': 17, '3:900': 50 } as Record<string, number>)[`${quantity}:${rateBp}`] ?? NaN;
  return { servingId: serving(crisps, 'Bag').id, productId: crisps.id, quantity, unitPriceCents: 200, vatClass: 'reduced', rateBp, grossCents: gross, vatCents: vat, netCents: gross - vat };
};

/** A sale closed at `closedAt`, written as the quick sale writes one; returns the sale and its line ids. */
async function pastSale(closedAt: string, lines: PastLine[]): Promise<{ id: string; lineIds: string[] }> {
  // The rate each line says must be the one in force that day by the venue's calendar, as the till would have charged.
  for (const l of lines) {
    const { rows } = await primary.query<{ rate: number }>("SELECT vat_rate_bp($1, $2, 'Europe/Dublin') AS rate", [l.vatClass, closedAt]);
    expect(rows[0]?.rate).toBe(l.rateBp);
  }
  const id = randomUUID();
  const lineIds = lines.map(() => randomUUID());
  const total = (k: 'grossCents' | 'vatCents' | 'netCents') => lines.reduce((t, l) => t + l[k], 0);
  await primary.query(
    `WITH tab AS (
       INSERT INTO tabs (id, venue_id, name, opened_by, opened_at, status, closed_by, closed_at, gross_cents, vat_cents, net_cents)
       VALUES ($1, $2, 'Past sale', $3, $4, 'closed', $3, $4, $5, $6, $7) RETURNING id
     ), line AS (
       INSERT INTO tab_lines (id, tab_id, venue_id, serving_id, product_id, description, quantity, unit_price_cents, gross_cents,
                              vat_class, vat_rate_bp, vat_cents, net_cents, stock_draw_units, added_by, added_at)
       SELECT l.id, tab.id, $2, l.serving_id, l.product_id, 'Past line', l.quantity, l.unit_price, l.gross, l.vat_class, l.rate, l.vat, l.net, 0, $3,
              $4::timestamptz + (l.n - 1) * interval '1 microsecond'
         FROM tab, unnest($8::uuid[], $9::uuid[], $10::uuid[], $11::int[], $12::int[], $13::int[], $14::text[], $15::int[], $16::int[], $17::int[])
                   WITH ORDINALITY AS l (id, serving_id, product_id, quantity, unit_price, gross, vat_class, rate, vat, net, n)
     ), payment AS (
       INSERT INTO payments (tab_id, venue_id, method, amount_cents, created_at) SELECT tab.id, $2, 'card', $5, $4 FROM tab
     )
     SELECT 1`,
    [
      id,
      bar.venue.venueId,
      manager.staffId,
      closedAt,
      total('grossCents'),
      total('vatCents'),
      total('netCents'),
      lineIds,
      lines.map((l) => l.servingId),
      lines.map((l) => l.productId),
      lines.map((l) => l.quantity),
      lines.map((l) => l.unitPriceCents),
      lines.map((l) => l.grossCents),
      lines.map((l) => l.vatClass),
      lines.map((l) => l.rateBp),
      lines.map((l) => l.vatCents),
      lines.map((l) => l.netCents),
    ],
  );
  return { id, lineIds };
}

/**
 * A refund made at `refundedAt` of some lines of a sale, written as
 * insertRefund writes one. Through jsonb_populate_record: the refunds table
 * may carry columns this test does not know (a method, a shift), filled from
 * the same record or left to the table.
 */
async function pastRefund(saleId: string, lineIds: string[], refundedAt: string): Promise<string> {
  const id = randomUUID();
  const client = await primary.connect();
  try {
    await client.query('BEGIN');
    const { rows } = await client.query<{ gross: number; vat: number; net: number }>(
      'SELECT -sum(gross_cents)::int AS gross, -sum(vat_cents)::int AS vat, -sum(net_cents)::int AS net FROM tab_lines WHERE id = ANY($1::uuid[])',
      [lineIds],
    );
    const r = rows[0]!;
    await client.query('INSERT INTO refunds SELECT * FROM jsonb_populate_record(NULL::refunds, $1)', [
      {
        id,
        venue_id: bar.venue.venueId,
        sale_id: saleId,
        reason: 'Past refund',
        method: 'card',
        refunded_by: manager.staffId,
        refunded_at: refundedAt,
        gross_cents: r.gross,
        vat_cents: r.vat,
        net_cents: r.net,
      },
    ]);
    await client.query(
      `INSERT INTO refund_lines (refund_id, tab_line_id, quantity, gross_cents, vat_cents, net_cents)
       SELECT $1, l.id, l.quantity, -l.gross_cents, -l.vat_cents, -l.net_cents FROM tab_lines l WHERE l.id = ANY($2::uuid[])`,
      [id, lineIds],
    );
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK');
    throw err;
  } finally {
    client.release();
  }
  return id;
}

function delivery(invoiceNumber: string, invoiceDate: string, kind: 'invoice' | 'creditNote', lines: { productId: string; quantity: number; unitCostCents: number }[]) {
  return manager.call('deliveries.recordDelivery', { supplierId: supplier.id, invoiceNumber, invoiceDate, kind, lines });
}

/** The period a date is in, by its first month. */
const periodOf = (date: string) => `${date.slice(0, 4)}-${String(Number(date.slice(5, 7)) - ((Number(date.slice(5, 7)) + 1) % 2)).padStart(2, '0')}`;
const todayInDublin = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Dublin' }).format(new Date());

const vatReturn = (payload: { period: string } | { from: string; to: string }) => manager.call('vat.getVatReturn', payload);

let september: { s1: { id: string; lineIds: string[] } };

beforeAll(async () => {
  bar = await stoutBar('vat');
  manager = bar.venue.manager;
  primary = await bar.rig.primary();
  other = await createVenue(bar.rig, 'vat-other');
  crisps = await createProduct(manager, {
    name: `Crisps ${Date.now()}`,
    category: 'food',
    abv: 0,
    vatClass: 'reduced',
    unitMl: null,
    unitCostCents: 37,
    parUnits: 0,
    servings: [{ name: 'Bag', ml: null, priceCents: 200 }],
  });
  supplier = await manager.call('suppliers.createSupplier', { name: 'Liffey Wholesale' });

  // September–October 2026 (period 2026-09). Ireland is on IST (UTC+1) until 25 October, GMT after.
  // S1: 23:30 UTC on 31 August is 00:30 on 1 September in Dublin: in the period. Two pints: 1120 / VAT 209 / net 911.
  const s1 = await pastSale('2026-08-31T23:30:00Z', [pint(2)]);
  // S5: 22:30 UTC on 31 August is 23:30 on 31 August in Dublin: the period before.
  await pastSale('2026-08-31T22:30:00Z', [pint(1)]);
  // S2: a pint (560 / 105 / 455) and three bags at 9% (600 / 50 / 550).
  const s2 = await pastSale('2026-09-15T20:00:00Z', [pint(1), bags(3, 900)]);
  // S3: 23:30 GMT on 31 October, still 31 October in Dublin: a half (300 / 56 / 244).
  await pastSale('2026-10-31T23:30:00Z', [half()]);
  // S4: 02:00 on 1 November in Dublin: the business day of 31 October (it rolls over at 06:00), but VAT goes by
  // the calendar: the next period, not this one.
  await pastSale('2026-11-01T02:00:00Z', [pint(1)]);
  // R1: the crisps of S2 refunded on 10 October, in the period: −600 / −50 / −550 at 9%.
  await pastRefund(s2.id, [s2.lineIds[1]!], '2026-10-10T12:00:00Z');

  // Deliveries by invoice date. D1 on 5 September: 2 kegs at €150.00, net 30000, VAT 23% 6900;
  // 24 bags at 37c, net 888, VAT 9% (the reduced rate on that date) 79.92 → 80.
  await delivery('D1', '2026-09-05', 'invoice', [
    { productId: bar.stout.id, quantity: 2, unitCostCents: 15_000 },
    { productId: crisps.id, quantity: 24, unitCostCents: 37 },
  ]);
  // C1 on 20 October: a keg credited, net −15000, VAT −3450.
  await delivery('C1', '2026-10-20', 'creditNote', [{ productId: bar.stout.id, quantity: 1, unitCostCents: 15_000 }]);
  // Outside the period on either side.
  await delivery('D0', '2026-08-31', 'invoice', [{ productId: bar.stout.id, quantity: 1, unitCostCents: 15_000 }]);
  await delivery('D2', '2026-11-02', 'invoice', [{ productId: bar.stout.id, quantity: 1, unitCostCents: 15_000 }]);

  // Across 1 July 2026 (13.5% → 9% for food). S6: 23:30 on 30 June in Dublin (22:30 UTC): one bag at 13.5%, 200 / 24 / 176.
  await pastSale('2026-06-30T22:30:00Z', [bags(1, 1350)]);
  // S7: 00:30 on 1 July in Dublin (23:30 UTC on 30 June): one bag at 9%, 200 / 17 / 183, and a pint 560 / 105 / 455.
  await pastSale('2026-06-30T23:30:00Z', [bags(1, 900), pint(1)]);
  // D4 on 20 June: 10 bags at 37c, net 370, VAT at 13.5% (the rate on its invoice date) 49.95 → 50.
  await delivery('D4', '2026-06-20', 'invoice', [{ productId: crisps.id, quantity: 10, unitCostCents: 37 }]);
  // D5 on 3 July: 10 bags, net 370, VAT 9% 33.30 → 33.
  await delivery('D5', '2026-07-03', 'invoice', [{ productId: crisps.id, quantity: 10, unitCostCents: 37 }]);

  september = { s1 };
});
afterAll(async () => {
  await bar?.rig.close();
});

const zeroBoxes = { E1Cents: 0, E2Cents: 0, ES1Cents: 0, ES2Cents: 0, PA1Cents: 0 };

describe('vat.getVatReturn', () => {
  it('September–October 2026: sales less refunds made in it, deliveries less credit notes by invoice date, by the Dublin calendar', async () => {
    const r = await vatReturn({ period: '2026-09' });
    expect(r).toEqual({
      from: '2026-09-01',
      to: '2026-10-31',
      // 23%: S1 911 + S2 455 + S3 244 = 1610 net; 209 + 105 + 56 = 370 VAT. 9%: S2's crisps 550 / 50 less R1: 0 / 0.
      sales: [
        { vatRateBp: 2300, netCents: 1610, vatCents: 370 },
        { vatRateBp: 900, netCents: 0, vatCents: 0 },
      ],
      // 23%: D1 30000 / 6900 less C1 15000 / 3450; 9%: 888 / 80.
      purchases: [
        { vatRateBp: 2300, netCents: 15_000, vatCents: 3450 },
        { vatRateBp: 900, netCents: 888, vatCents: 80 },
      ],
      T1Cents: 370,
      T2Cents: 3530,
      T3Cents: 0,
      T4Cents: 3160,
      ...zeroBoxes,
      // €3.70 → 4, €35.30 → 35; T4 = 35 − 4 = 31.
      ros: { T1: 4, T2: 35, T3: 0, T4: 31, E1: 0, E2: 0, ES1: 0, ES2: 0, PA1: 0 },
      openTabsAtEnd: 0,
    });
  });

  it('a period across 1 July 2026 shows the 13.5% and the 9% lines apart; each two-month period its own side', async () => {
    const r = await vatReturn({ from: '2026-06-01', to: '2026-07-31' });
    expect(r).toMatchObject({
      from: '2026-06-01',
      to: '2026-07-31',
      sales: [
        { vatRateBp: 2300, netCents: 455, vatCents: 105 },
        { vatRateBp: 1350, netCents: 176, vatCents: 24 },
        { vatRateBp: 900, netCents: 183, vatCents: 17 },
      ],
      purchases: [
        { vatRateBp: 1350, netCents: 370, vatCents: 50 },
        { vatRateBp: 900, netCents: 370, vatCents: 33 },
      ],
      // T1 = 105 + 24 + 17 = 146; T2 = 50 + 33 = 83; T3 = 63 cents, but €1.46 → 1 and €0.83 → 1 leave ROS's T3 at 0.
      T1Cents: 146,
      T2Cents: 83,
      T3Cents: 63,
      T4Cents: 0,
      ros: { T1: 1, T2: 1, T3: 0, T4: 0 },
    });
    expect(await vatReturn({ period: '2026-05' })).toMatchObject({
      sales: [{ vatRateBp: 1350, netCents: 176, vatCents: 24 }],
      purchases: [{ vatRateBp: 1350, netCents: 370, vatCents: 50 }],
      T1Cents: 24,
      T2Cents: 50,
    });
    // July–August also has S5 (a pint on 31 August, 105) and D0 (a keg on 31 August, 3450).
    expect(await vatReturn({ period: '2026-07' })).toMatchObject({
      sales: [
        { vatRateBp: 2300, netCents: 910, vatCents: 210 },
        { vatRateBp: 900, netCents: 183, vatCents: 17 },
      ],
      T1Cents: 227,
      T2Cents: 3450 + 33,
    });
  });

  it('a refund made today of a September sale counts today, never in September; a tab closed today counts, its void not', async () => {
    const current = periodOf(todayInDublin());
    const septemberBefore = await vatReturn({ period: '2026-09' });
    const before = await vatReturn({ period: current });

    // A quick sale today: a pint (560 / 105 / 455) and a bag at 9% (200 / 17 / 183).
    await bar.bartender.call('sales.recordSale', {
      lines: [
        { servingId: bar.pintId, quantity: 1 },
        { servingId: serving(crisps, 'Bag').id, quantity: 1 },
      ],
      payments: [{ method: 'cash', amountCents: 760 }],
    });
    // A tab: a pint and a half, the half voided, paid: 560 / 105 / 455.
    const tab = await bar.bartender.call('till.openTab', { name: 'Table 4' });
    await bar.bartender.call('till.addTabLine', { tabId: tab.id, servingId: bar.pintId, quantity: 1 });
    const withHalf = await bar.bartender.call('till.addTabLine', { tabId: tab.id, servingId: bar.halfId, quantity: 1 });
    const halfLine = withHalf.lines.find((l) => l.servingId === bar.halfId)!;
    await bar.bartender.call('till.voidTabLine', { tabId: tab.id, lineId: halfLine.id, reason: 'Rang in error' });
    await bar.bartender.call('till.closeTab', { tabId: tab.id, payments: [{ method: 'card', amountCents: 560 }] });
    // S1's two pints refunded today: −1120 / −209 / −911 at 23%.
    await manager.call('sales.refundSale', { saleId: september.s1.id, reason: 'Flat' });
    // A tab left open today: the current period warns about it.
    await bar.bartender.call('till.openTab', { name: 'Still drinking' });

    const after = await vatReturn({ period: current });
    const rate = (r: typeof after, bp: number) => r.sales.find((s) => s.vatRateBp === bp) ?? { netCents: 0, vatCents: 0 };
    // 23%: +455 +455 −911 = −1 net; +105 +105 −209 = +1 VAT. 9%: +183 / +17.
    expect(rate(after, 2300).netCents - rate(before, 2300).netCents).toBe(-1);
    expect(rate(after, 2300).vatCents - rate(before, 2300).vatCents).toBe(1);
    expect(rate(after, 900).netCents - rate(before, 900).netCents).toBe(183);
    expect(rate(after, 900).vatCents - rate(before, 900).vatCents).toBe(17);
    expect(after.T1Cents - before.T1Cents).toBe(18);
    expect(after.openTabsAtEnd).toBe(1);
    // September is as it was: the refund belongs to the period it was made in.
    expect(await vatReturn({ period: '2026-09' })).toEqual(septemberBefore);
  });

  it('refuses a bad period with 400 naming the field, and any second way of naming the dates', async () => {
    const month = await manager.error('vat.getVatReturn', { period: '2026-02' });
    expect(month).toMatchObject({ statusCode: 400, field: 'period' });
    expect(month.message).toContain('first month of a two-month VAT period');
    expect(await manager.error('vat.getVatReturn', { period: '2026-13' })).toMatchObject({ statusCode: 400, field: 'period' });
    expect(await manager.error('vat.getVatReturn', {})).toMatchObject({ statusCode: 400, field: 'period' });
    expect(await manager.error('vat.getVatReturn', { period: '2026-09', from: '2026-09-01' })).toMatchObject({ statusCode: 400, field: 'from' });
    expect(await manager.error('vat.getVatReturn', { from: '2026-09-01' })).toMatchObject({ statusCode: 400, field: 'to' });
    expect(await manager.error('vat.getVatReturn', { from: '2026-09-02', to: '2026-09-01' })).toMatchObject({ statusCode: 400, field: 'to' });
    expect(await manager.error('vat.getVatReturn', { from: '2026-01-01', to: '2027-01-02' })).toMatchObject({ statusCode: 400, field: 'to' });
    expect(await manager.error('vat.getTradingDetails', { year: 1999 })).toMatchObject({ statusCode: 400, field: 'year' });
  });

  it('is for managers of the venue only: a bartender is refused, another venue sees none of it', async () => {
    const bartender = await bar.bartender.error('vat.getVatReturn', { period: '2026-09' });
    expect(bartender).toMatchObject({ code: 'BB_FORBIDDEN', statusCode: 403 });
    expect(await bar.bartender.error('vat.getTradingDetails', { year: 2026 })).toMatchObject({ statusCode: 403 });
    expect(await bar.bartender.error('vat.getVatWorkings', { period: '2026-09' })).toMatchObject({ statusCode: 403 });
    // A second manager of the same venue sees the same return.
    const second = await addStaff(bar.venue, 'manager');
    expect(await second.call('vat.getVatReturn', { period: '2026-09' })).toEqual(await vatReturn({ period: '2026-09' }));
    const theirs = await other.manager.call('vat.getVatReturn', { period: '2026-09' });
    expect(theirs).toMatchObject({ sales: [], purchases: [], T1Cents: 0, T2Cents: 0, T3Cents: 0, T4Cents: 0, openTabsAtEnd: 0 });
    expect((await other.manager.call('vat.getVatWorkings', { period: '2026-09' })).items).toEqual([]);
  });
});

describe('vat.getVatWorkings', () => {
  it('lists every document the return counted, one row per document and rate, adding up to its boxes', async () => {
    const w = await manager.call('vat.getVatWorkings', { period: '2026-09' });
    expect(w.from).toBe('2026-09-01');
    expect(w.items.map((i) => [i.date, i.kind, i.vatRateBp, i.netCents, i.vatCents])).toEqual([
      ['2026-09-01', 'sale', 2300, 911, 209],
      ['2026-09-05', 'invoice', 2300, 30_000, 6900],
      ['2026-09-05', 'invoice', 900, 888, 80],
      ['2026-09-15', 'sale', 2300, 455, 105],
      ['2026-09-15', 'sale', 900, 550, 50],
      ['2026-10-10', 'refund', 900, -550, -50],
      ['2026-10-20', 'creditNote', 2300, -15_000, -3450],
      ['2026-10-31', 'sale', 2300, 244, 56],
    ]);
    const r = await vatReturn({ period: '2026-09' });
    const vat = (kinds: string[]) => w.items.filter((i) => kinds.includes(i.kind)).reduce((t, i) => t + i.vatCents, 0);
    expect(vat(['sale', 'refund'])).toBe(r.T1Cents);
    expect(vat(['invoice', 'creditNote'])).toBe(r.T2Cents);
  });
});

describe('vat.getTradingDetails', () => {
  it('reconciles with the year’s six VAT3s, rate by rate', async () => {
    const t = await manager.call('vat.getTradingDetails', { year: 2026 });
    const returns = await Promise.all(['2026-01', '2026-03', '2026-05', '2026-07', '2026-09', '2026-11'].map((period) => vatReturn({ period })));
    expect(t.salesVatCents).toBe(returns.reduce((s, r) => s + r.T1Cents, 0));
    expect(t.purchasesVatCents).toBe(returns.reduce((s, r) => s + r.T2Cents, 0));
    expect(t.periods.map((p) => [p.period, p.T1Cents, p.T2Cents])).toEqual(returns.map((r) => [periodOf(r.from), r.T1Cents, r.T2Cents]));
    const byRate = (key: 'sales' | 'purchases') => {
      const m = new Map<number, { vatRateBp: number; netCents: number; vatCents: number }>();
      for (const r of returns)
        for (const s of r[key]) {
          const x = m.get(s.vatRateBp) ?? { vatRateBp: s.vatRateBp, netCents: 0, vatCents: 0 };
          x.netCents += s.netCents;
          x.vatCents += s.vatCents;
          m.set(s.vatRateBp, x);
        }
      return [...m.values()].sort((a, b) => b.vatRateBp - a.vatRateBp);
    };
    expect(t.sales).toEqual(byRate('sales'));
    expect(t.purchasesForResale).toEqual(byRate('purchases'));
    // All three rates of 2026 are there: 13.5% before July, 9% after, 23% throughout.
    expect(t.sales.map((s) => s.vatRateBp)).toEqual([2300, 1350, 900]);
    // 13.5%: S6 only; purchases at 13.5%: D4 only.
    expect(t.sales[1]).toEqual({ vatRateBp: 1350, netCents: 176, vatCents: 24 });
    expect(t.purchasesForResale.find((p) => p.vatRateBp === 1350)).toEqual({ vatRateBp: 1350, netCents: 370, vatCents: 50 });
  });
});

describe('the day totals (migration 0020)', () => {
  it('equal a computation from scratch over the sales, refunds and deliveries themselves, for this file’s venues', async () => {
    // What the triggers kept, slots added up, against the raw rows by the same rules.
    expect(await vatTotalsMismatches(primary, [bar.venue.venueId, other.venueId])).toMatchObject({ extra: 0, missing: 0 });
    // And this venue's are not empty: the comparison compared something.
    const mine = await primary.query<{ n: number }>('SELECT count(*)::int AS n FROM vat_day_totals WHERE venue_id = $1', [bar.venue.venueId]);
    expect(mine.rows[0]!.n).toBeGreaterThan(10);
  });

  it('lose nothing under concurrent sales on the same day and rate (slots), and a return reads only day rows', async () => {
    const current = periodOf(todayInDublin());
    const before = await vatReturn({ period: current });
    // 24 quick sales of a pint at once, through two workers' worth of connections.
    await Promise.all(
      Array.from({ length: 24 }, () => bar.bartender.call('sales.recordSale', { lines: [{ servingId: bar.pintId, quantity: 1 }], payments: [{ method: 'card', amountCents: 560 }] })),
    );
    const after = await vatReturn({ period: current });
    expect(after.T1Cents - before.T1Cents).toBe(24 * 105);
    // The plan of the return's read: an index range on the day totals' key, no tabs, no lines.
    const plan = await primary.query<{ 'QUERY PLAN': string }>(
      `EXPLAIN SELECT vat_rate_bp, sum(sales_vat_cents) FROM vat_day_totals WHERE venue_id = $1 AND day >= '2026-09-01' AND day <= '2026-10-31' GROUP BY 1`,
      [bar.venue.venueId],
    );
    const text = plan.rows.map((r) => r['QUERY PLAN']).join('\n');
    expect(text).not.toMatch(/tabs|tab_lines|refund/);
  });
});
