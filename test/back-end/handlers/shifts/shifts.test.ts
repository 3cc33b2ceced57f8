/**
 * Shifts, cash and the Z report (issue 19) through the real broker, workers
 * and database: a night worked by hand to the cent, the Z it closes to, the
 * note a big over/short needs, Z numbers with two managers closing at once,
 * sales racing a close (nothing lost or counted twice), a sale after the Z
 * opening the next shift (audited), the Z immutable in the database, totals
 * kept right by a bulk SQL seed, refunds' method, isolation and roles.
 */
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { ReplyOf } from '@barback/messaging';
import { emittedDuring, onlyEvent } from '../../../helpers/emitted.js';
import {
  addStaff,
  asBartender,
  auditRows,
  createProduct,
  createVenue,
  serving,
  startRig,
  type Caller,
  type Product,
  type Rig,
  type Venue,
} from '../../../helpers/venue.js';

type Z = ReplyOf<'shifts.closeShift'>;

let rig: Rig;
let primary: pg.Pool;

beforeAll(async () => {
  // Two workers: two closes (and sales racing a close) really run side by side.
  rig = await startRig(2);
  primary = await rig.primary();
});
afterAll(async () => {
  await rig?.close();
});

interface Bar {
  venue: Venue;
  bartender: Caller;
  /** Stout (23%): pint €5.60, half €3.00. */
  pint: string;
  half: string;
  /** Toastie (reduced rate, 9% from 1 July 2026): €6.50. */
  toastie: string;
}

async function newBar(label: string): Promise<Bar> {
  const venue = await createVenue(rig, label);
  const bartender = await asBartender(venue);
  const stout: Product = await createProduct(venue.manager);
  const food: Product = await createProduct(venue.manager, {
    name: `Toastie ${Date.now()}`,
    category: 'food',
    abv: 0,
    vatClass: 'reduced',
    unitMl: null,
    servings: [{ name: 'Toastie', ml: null, priceCents: 650 }],
  });
  return { venue, bartender, pint: serving(stout, 'Pint').id, half: serving(stout, 'Half').id, toastie: serving(food, 'Toastie').id };
}

/**
 * The same figures worked out from the history itself (every sale, refund,
 * void and movement stamped with the shift): what the kept totals must equal.
 */
async function fromHistory(shiftId: string) {
  const { rows } = await primary.query(
    `SELECT
       (SELECT count(*)::int FROM tabs WHERE shift_id = $1) AS sales,
       (SELECT COALESCE(sum(gross_cents), 0)::int FROM tabs WHERE shift_id = $1) AS sales_gross,
       (SELECT COALESCE(sum(vat_cents), 0)::int FROM tabs WHERE shift_id = $1) AS sales_vat,
       (SELECT COALESCE(sum(-gross_cents), 0)::int FROM refunds WHERE shift_id = $1) AS refunds_gross,
       (SELECT COALESCE(sum(-vat_cents), 0)::int FROM refunds WHERE shift_id = $1) AS refunds_vat,
       (SELECT COALESCE(sum(p.amount_cents) FILTER (WHERE p.method = 'cash'), 0)::int
          FROM payments p JOIN tabs t ON t.id = p.tab_id WHERE t.shift_id = $1) AS cash_sales`,
    [shiftId],
  );
  const r = rows[0] as Record<string, number>;
  return { salesCount: r['sales']!, grossCents: r['sales_gross']! - r['refunds_gross']!, vatCents: r['sales_vat']! - r['refunds_vat']!, cashSales: r['cash_sales']! };
}

describe('a night, worked by hand', () => {
  let bar: Bar;
  let z: Z;

  /**
   * Float €100.00.
   * A: 2 pints, cash 1120 (23%: VAT 1120×23/123 = 209.43 → 209, net 911).
   * B: toastie, card 650 (9%: VAT 650×9/109 = 53.67 → 54, net 596).
   * C: a tab: pint 560 (VAT 104.72 → 105, net 455), half 300 voided,
   *    toastie 650 (54 / 596); paid split, cash 1000 + card 210 = 1210.
   * D: half, card 300 (VAT 56.10 → 56, net 244).
   * Refunds: A whole, cash by default (1120 / 209 / 911); D, card (300 / 56 / 244).
   * Paid out €25.00 (ice).
   *
   * 23%: sales 1980 / 370 / 1610, refunds 1420 / 265 / 1155 → 560 / 105 / 455.
   *  9%: sales 1300 / 108 / 1192, no refunds → 1300 / 108 / 1192.
   * Shift: gross 1860, VAT 213, net 1647; 4 sales.
   * Cash: sales 2120, refunds 1120, net 1000. Card: sales 1160, refunds 300, net 860.
   * Expected cash: 10000 + 2120 − 1120 + 0 − 2500 = 8500. Counted 7900: short 600.
   */
  beforeAll(async () => {
    bar = await newBar('night');
    const m = bar.venue.manager;
    await m.call('shifts.startShift', { floatCents: 10_000 });
    const a = await bar.bartender.call('sales.recordSale', { lines: [{ servingId: bar.pint, quantity: 2 }], payments: [{ method: 'cash', amountCents: 1120 }] });
    const b = await bar.bartender.call('sales.recordSale', { lines: [{ servingId: bar.toastie, quantity: 1 }], payments: [{ method: 'card', amountCents: 650 }] });
    expect(b.lines[0]).toMatchObject({ vatRateBp: 900, vatCents: 54, netCents: 596 });
    const tab = await bar.bartender.call('till.openTab', { name: 'Table 4' });
    await bar.bartender.call('till.addTabLine', { tabId: tab.id, servingId: bar.pint, quantity: 1 });
    const withHalf = await bar.bartender.call('till.addTabLine', { tabId: tab.id, servingId: bar.half, quantity: 1 });
    await bar.bartender.call('till.addTabLine', { tabId: tab.id, servingId: bar.toastie, quantity: 1 });
    const halfLine = withHalf.lines.find((l) => l.servingId === bar.half)!;
    await bar.bartender.call('till.voidTabLine', { tabId: tab.id, lineId: halfLine.id, reason: 'Rung by mistake' });
    const c = await bar.bartender.call('till.closeTab', {
      tabId: tab.id,
      payments: [
        { method: 'cash', amountCents: 1000 },
        { method: 'card', amountCents: 210 },
      ],
    });
    expect(c).toMatchObject({ grossCents: 1210, vatCents: 159 });
    const d = await bar.bartender.call('sales.recordSale', { lines: [{ servingId: bar.half, quantity: 1 }], payments: [{ method: 'card', amountCents: 300 }] });

    // A split sale's refund must say how the money goes back; nothing is written without it.
    const split = await m.error('sales.refundSale', { saleId: c.id, reason: 'Cold food' });
    expect(split).toMatchObject({ code: 'BB_VALIDATION', statusCode: 400, field: 'method' });
    const refundA = await m.call('sales.refundSale', { saleId: a.id, reason: 'Flat pints' });
    expect(refundA).toMatchObject({ method: 'cash', grossCents: -1120 });
    const refundD = await m.call('sales.refundSale', { saleId: d.id, reason: 'Wrong drink', method: 'card' });
    expect(refundD).toMatchObject({ method: 'card', grossCents: -300 });
    await m.call('shifts.recordCashMovement', { kind: 'paid_out', amountCents: 2500, reason: 'Ice delivery paid from the till' });
  });

  it('the X report has the night so far, expected cash included, and changes nothing', async () => {
    const x = await bar.venue.manager.call('shifts.getXReport', {});
    expect(x).toMatchObject({
      floatCents: 10_000,
      salesCount: 4,
      grossCents: 1860,
      vatCents: 213,
      netCents: 1647,
      byRate: [
        { vatRateBp: 2300, grossCents: 560, vatCents: 105, netCents: 455 },
        { vatRateBp: 900, grossCents: 1300, vatCents: 108, netCents: 1192 },
      ],
      byMethod: [
        { method: 'cash', salesCents: 2120, refundsCents: 1120, netCents: 1000 },
        { method: 'card', salesCents: 1160, refundsCents: 300, netCents: 860 },
        { method: 'other', salesCents: 0, refundsCents: 0, netCents: 0 },
      ],
      refunds: { count: 2, grossCents: 1420 },
      voids: { count: 1, grossCents: 300 },
      paidInCents: 0,
      paidOutCents: 2500,
      expectedCashCents: 8500,
      autoOpened: false,
    });
    expect(await bar.venue.manager.call('shifts.getXReport', {})).toEqual({ ...x, at: expect.any(String) });
    // The kept totals agree with the history they summarise.
    const history = await fromHistory(x.shiftId);
    expect(history).toEqual({ salesCount: 4, grossCents: 1860, vatCents: 213, cashSales: 2120 });
  });

  it('a drawer short by more than €5.00 needs a note; with one, the Z is exactly the night', async () => {
    const m = bar.venue.manager;
    const refused = await m.error('shifts.closeShift', { countedCashCents: 7900 });
    expect(refused).toMatchObject({ code: 'BB_VALIDATION', statusCode: 400, field: 'note' });
    expect(refused.message).toContain('short by €6.00');
    // Refused: still open.
    await m.call('shifts.getXReport', {});

    const emitted = await emittedDuring(primary, bar.venue.venueId, () =>
      m.call('shifts.closeShift', { countedCashCents: 7900, note: 'A €5 note went out as change for a €10' }),
    );
    z = emitted.result;
    expect(z).toEqual({
      id: expect.any(String),
      number: 1,
      shiftId: expect.any(String),
      openedAt: expect.any(String),
      closedAt: expect.any(String),
      openedBy: { id: m.staffId, name: m.session.staff.name },
      closedBy: { id: m.staffId, name: m.session.staff.name },
      floatCents: 10_000,
      salesCount: 4,
      grossCents: 1860,
      vatCents: 213,
      netCents: 1647,
      byRate: [
        { vatRateBp: 2300, grossCents: 560, vatCents: 105, netCents: 455 },
        { vatRateBp: 900, grossCents: 1300, vatCents: 108, netCents: 1192 },
      ],
      byMethod: [
        { method: 'cash', salesCents: 2120, refundsCents: 1120, netCents: 1000 },
        { method: 'card', salesCents: 1160, refundsCents: 300, netCents: 860 },
        { method: 'other', salesCents: 0, refundsCents: 0, netCents: 0 },
      ],
      refunds: { count: 2, grossCents: 1420 },
      voids: { count: 1, grossCents: 300 },
      paidInCents: 0,
      paidOutCents: 2500,
      expectedCashCents: 8500,
      countedCashCents: 7900,
      overShortCents: -600,
      note: 'A €5 note went out as change for a €10',
    });
    const data = onlyEvent(emitted, { type: 'shift.closed', venueId: bar.venue.venueId, aggregateType: 'shift', aggregateId: z.shiftId });
    expect(data).toEqual(z);
    expect(await m.call('shifts.getZReport', { id: z.id })).toEqual(z);
    const closes = await auditRows(rig, bar.venue.venueId, 'shift.close');
    expect(closes.at(-1)).toMatchObject({ entity_id: z.shiftId, reason: z.note, details: { number: 1, overShortCents: -600 } });
  });

  it('a sale after the Z opens the next shift with a float of 0, audited; the Z stays as it was', async () => {
    const m = bar.venue.manager;
    await expect(m.error('shifts.getXReport', {})).resolves.toMatchObject({ code: 'BB_NOT_FOUND', statusCode: 404 });
    await bar.bartender.call('sales.recordSale', { lines: [{ servingId: bar.pint, quantity: 1 }], payments: [{ method: 'cash', amountCents: 560 }] });
    const x = await m.call('shifts.getXReport', {});
    expect(x).toMatchObject({ autoOpened: true, floatCents: 0, salesCount: 1, grossCents: 560, expectedCashCents: 560, openedBy: { id: bar.bartender.staffId } });
    expect(x.shiftId).not.toBe(z.shiftId);
    const auto = await auditRows(rig, bar.venue.venueId, 'shift.autoStart');
    expect(auto).toEqual([{ staff_id: bar.bartender.staffId, entity_id: x.shiftId, reason: 'Rung with no shift open', details: { floatCents: 0 } }]);
    expect(await m.call('shifts.getZReport', { id: z.id })).toEqual(z);
  });

  it('the Z cannot be changed, deleted or truncated in the database', async () => {
    for (const sql of [
      `UPDATE z_reports SET report = report || '{"grossCents": 0}' WHERE id = $1`,
      'DELETE FROM z_reports WHERE id = $1',
    ]) {
      await expect(primary.query(sql, [z.id])).rejects.toMatchObject({ code: '42501' });
    }
    await expect(primary.query('TRUNCATE z_reports')).rejects.toMatchObject({ code: '42501' });
    await expect(primary.query('UPDATE shifts SET float_cents = 0 WHERE id = $1', [z.shiftId])).rejects.toMatchObject({ code: '42501' });
    expect(await bar.venue.manager.call('shifts.getZReport', { id: z.id })).toEqual(z);
  });
});

describe('closing', () => {
  it('is refused while a tab is open, naming it', async () => {
    const bar = await newBar('open-tab');
    await bar.bartender.call('shifts.startShift', { floatCents: 5000 });
    const tab = await bar.bartender.call('till.openTab', { name: 'Garden table' });
    await bar.bartender.call('till.addTabLine', { tabId: tab.id, servingId: bar.pint, quantity: 1 });
    const err = await bar.venue.manager.error('shifts.closeShift', { countedCashCents: 5000 });
    expect(err).toMatchObject({ code: 'BB_CONFLICT', statusCode: 409 });
    expect(err.message).toContain('Garden table');
    await bar.bartender.call('till.closeTab', { tabId: tab.id, payments: [{ method: 'card', amountCents: 560 }] });
    const z = await bar.venue.manager.call('shifts.closeShift', { countedCashCents: 5000 });
    expect(z).toMatchObject({ number: 1, salesCount: 1, expectedCashCents: 5000, overShortCents: 0, note: null });
  });

  it('a second start while a shift is open is 409; a drawer within €5.00 needs no note', async () => {
    const bar = await newBar('start-twice');
    const started = await emittedDuring(primary, bar.venue.venueId, () => bar.bartender.call('shifts.startShift', { floatCents: 15_000 }));
    const data = onlyEvent(started, { type: 'shift.started', venueId: bar.venue.venueId, aggregateType: 'shift', aggregateId: started.result.id });
    expect(data).toEqual(started.result);
    expect(started.result).toMatchObject({ floatCents: 15_000, autoOpened: false, openedBy: { id: bar.bartender.staffId } });
    await expect(bar.venue.manager.error('shifts.startShift', { floatCents: 0 })).resolves.toMatchObject({ code: 'BB_CONFLICT', statusCode: 409 });
    const moved = await emittedDuring(primary, bar.venue.venueId, () =>
      bar.venue.manager.call('shifts.recordCashMovement', { kind: 'paid_in', amountCents: 2000, reason: 'Change from the bank' }),
    );
    expect(onlyEvent(moved, { type: 'cash.moved', venueId: bar.venue.venueId, aggregateType: 'shift', aggregateId: started.result.id })).toEqual(moved.result);
    // Expected 15000 + 2000 = 17000; counted 17500 is over by exactly 500: no note needed.
    const z = await bar.venue.manager.call('shifts.closeShift', { countedCashCents: 17_500 });
    expect(z).toMatchObject({ paidInCents: 2000, expectedCashCents: 17_000, overShortCents: 500, note: null });
    // Over by 501 would need one.
    await bar.venue.manager.call('shifts.startShift', { floatCents: 0 });
    await expect(bar.venue.manager.error('shifts.closeShift', { countedCashCents: 501 })).resolves.toMatchObject({ field: 'note' });
  });

  it('two managers closing at once make one Z, numbered n + 1; the other gets 409 naming it', async () => {
    const bar = await newBar('two-close');
    const second = await addStaff(bar.venue, 'manager');
    await bar.venue.manager.call('shifts.startShift', { floatCents: 1000 });
    const first = await bar.venue.manager.call('shifts.closeShift', { countedCashCents: 1000 });
    expect(first.number).toBe(1);
    await bar.bartender.call('sales.recordSale', { lines: [{ servingId: bar.pint, quantity: 1 }], payments: [{ method: 'cash', amountCents: 560 }] });
    const results = await Promise.allSettled([
      bar.venue.manager.call('shifts.closeShift', { countedCashCents: 560 }),
      second.call('shifts.closeShift', { countedCashCents: 560 }),
    ]);
    const made = results.filter((r): r is PromiseFulfilledResult<Z> => r.status === 'fulfilled').map((r) => r.value);
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected').map((r) => r.reason as { code: string; message: string });
    expect(made).toHaveLength(1);
    expect(made[0]).toMatchObject({ number: 2, salesCount: 1, expectedCashCents: 560 });
    expect(refused).toEqual([expect.objectContaining({ code: 'BB_CONFLICT' })]);
    expect(refused[0]!.message).toContain('(Z 2)');
    const { rows } = await primary.query('SELECT number FROM z_reports WHERE venue_id = $1 ORDER BY number', [bar.venue.venueId]);
    expect(rows.map((r: { number: number }) => r.number)).toEqual([1, 2]);
  });

  it('sales racing a close land in the closing shift or the next, each exactly once', async () => {
    const bar = await newBar('race');
    await bar.venue.manager.call('shifts.startShift', { floatCents: 0 });
    await bar.bartender.call('sales.recordSale', { lines: [{ servingId: bar.pint, quantity: 1 }], payments: [{ method: 'cash', amountCents: 560 }] });
    const sales = Array.from({ length: 16 }, () =>
      bar.bartender.call('sales.recordSale', { lines: [{ servingId: bar.half, quantity: 1 }], payments: [{ method: 'cash', amountCents: 300 }] }),
    );
    const close = bar.venue.manager.call('shifts.closeShift', { countedCashCents: 0, note: 'Counted during the race test' });
    const [z] = await Promise.all([close, ...sales]);
    const x = await bar.venue.manager.call('shifts.getXReport', {}).catch(() => null);
    const after = x ? x.salesCount : 0;
    expect(z.salesCount + after).toBe(17);
    expect(z.grossCents + (x?.grossCents ?? 0)).toBe(560 + 16 * 300);
    // Each shift's kept totals equal its stamped history: nothing counted twice or lost.
    const zHistory = await fromHistory(z.shiftId);
    expect(zHistory).toEqual({ salesCount: z.salesCount, grossCents: z.grossCents, vatCents: z.vatCents, cashSales: z.byMethod[0]!.salesCents });
    if (x) {
      expect(await fromHistory(x.shiftId)).toEqual({ salesCount: x.salesCount, grossCents: x.grossCents, vatCents: x.vatCents, cashSales: x.byMethod[0]!.salesCents });
    }
    const { rows } = await primary.query(
      "SELECT count(*)::int AS n FROM tabs WHERE venue_id = $1 AND status = 'closed' AND shift_id IS NULL",
      [bar.venue.venueId],
    );
    expect(rows[0]).toEqual({ n: 0 });
  });
});

describe('totals kept by the database', () => {
  it('a bulk SQL seed of sales, lines, payments and refunds keeps the X right', async () => {
    const bar = await newBar('seed');
    const shift = await bar.venue.manager.call('shifts.startShift', { floatCents: 2000 });
    const db = await primary.connect();
    try {
      await db.query('BEGIN');
      // 200 closed tabs of one pint (560: VAT 105, net 455), every fourth paid by card; then their lines and payments
      // in statements of their own, as a bench seeds them.
      await db.query(
        `INSERT INTO tabs (id, venue_id, name, opened_by, status, closed_by, closed_at, gross_cents, vat_cents, net_cents)
         SELECT md5($1::text || n)::uuid, $1::uuid, 'Seed ' || n, $2, 'closed', $2, now(), 560, 105, 455 FROM generate_series(1, 200) n`,
        [bar.venue.venueId, bar.venue.manager.staffId],
      );
      await db.query(
        `INSERT INTO tab_lines (tab_id, venue_id, serving_id, product_id, description, quantity, unit_price_cents, gross_cents,
                                vat_class, vat_rate_bp, vat_cents, net_cents, stock_draw_units, added_by)
         SELECT md5($1::text || n)::uuid, $1::uuid, s.id, s.product_id, 'Stout (Pint)', 1, 560, 560, 'standard', 2300, 105, 455, 0, $2
           FROM generate_series(1, 200) n, servings s WHERE s.id = $3`,
        [bar.venue.venueId, bar.venue.manager.staffId, bar.pint],
      );
      await db.query(
        `INSERT INTO payments (tab_id, venue_id, method, amount_cents)
         SELECT md5($1::text || n)::uuid, $1::uuid, CASE WHEN n % 4 = 0 THEN 'card' ELSE 'cash' END, 560 FROM generate_series(1, 200) n`,
        [bar.venue.venueId],
      );
      // The first ten sales refunded whole, each by its sale's method (the database's default).
      await db.query(
        `INSERT INTO refunds (id, venue_id, sale_id, reason, refunded_by, gross_cents, vat_cents, net_cents)
         SELECT md5('r' || $1::text || n)::uuid, $1::uuid, md5($1::text || n)::uuid, 'Seeded', $2, -560, -105, -455 FROM generate_series(1, 10) n`,
        [bar.venue.venueId, bar.venue.manager.staffId],
      );
      await db.query(
        `INSERT INTO refund_lines (refund_id, tab_line_id, quantity, gross_cents, vat_cents, net_cents)
         SELECT md5('r' || $1::text || n)::uuid, l.id, 1, -560, -105, -455 FROM generate_series(1, 10) n JOIN tab_lines l ON l.tab_id = md5($1::text || n)::uuid`,
        [bar.venue.venueId],
      );
      await db.query('COMMIT');
    } catch (err) {
      await db.query('ROLLBACK');
      throw err;
    } finally {
      db.release();
    }
    const x = await bar.venue.manager.call('shifts.getXReport', {});
    // 200 × 560 = 112000 less 10 × 560 = 5600; cash 150 × 560 = 84000, card 50 × 560 = 28000.
    // Refunded: sales 1-10, of which 4 and 8 were paid by card: cash 8 × 560 = 4480, card 2 × 560 = 1120.
    expect(x).toMatchObject({
      shiftId: shift.id,
      salesCount: 200,
      grossCents: 106_400,
      vatCents: 190 * 105,
      netCents: 190 * 455,
      byRate: [{ vatRateBp: 2300, grossCents: 106_400, vatCents: 19_950, netCents: 86_450 }],
      byMethod: [
        { method: 'cash', salesCents: 84_000, refundsCents: 4480, netCents: 79_520 },
        { method: 'card', salesCents: 28_000, refundsCents: 1120, netCents: 26_880 },
        { method: 'other', salesCents: 0, refundsCents: 0, netCents: 0 },
      ],
      refunds: { count: 10, grossCents: 5600 },
      expectedCashCents: 2000 + 84_000 - 4480,
    });
    // Each statement added to at most one row per key and slot, not one per sale.
    const { rows } = await primary.query('SELECT count(*)::int AS n FROM shift_rate_totals WHERE shift_id = $1', [shift.id]);
    expect(rows[0].n).toBeLessThanOrEqual(8);
  });
});

describe('the Z list', () => {
  it('pages newest first', async () => {
    const bar = await newBar('z-list');
    const made: Z[] = [];
    for (let i = 0; i < 3; i += 1) {
      await bar.venue.manager.call('shifts.startShift', { floatCents: 100 * i });
      made.push(await bar.venue.manager.call('shifts.closeShift', { countedCashCents: 100 * i }));
    }
    const first = await bar.venue.manager.call('shifts.listZReports', { limit: 2 });
    expect(first.items.map((z) => z.number)).toEqual([3, 2]);
    expect(first.nextCursor).not.toBeNull();
    const second = await bar.venue.manager.call('shifts.listZReports', { limit: 2, cursor: first.nextCursor! });
    expect(second).toEqual({ items: [made[0]], nextCursor: null });
    await expect(bar.venue.manager.error('shifts.listZReports', { cursor: 'nonsense' })).resolves.toMatchObject({ statusCode: 400, field: 'cursor' });
  });
});

describe('isolation and roles', () => {
  it("another venue's Z is 404; reports, cash movements and closing are for managers", async () => {
    const bar = await newBar('roles');
    const other = await newBar('roles-other');
    await bar.bartender.call('shifts.startShift', { floatCents: 0 });
    const z = await bar.venue.manager.call('shifts.closeShift', { countedCashCents: 0 });
    await expect(other.venue.manager.error('shifts.getZReport', { id: z.id })).resolves.toMatchObject({ code: 'BB_NOT_FOUND', statusCode: 404 });
    expect((await other.venue.manager.call('shifts.listZReports', {})).items).toEqual([]);
    await bar.bartender.call('shifts.startShift', { floatCents: 0 });
    for (const refused of [
      bar.bartender.error('shifts.getXReport', {}),
      bar.bartender.error('shifts.closeShift', { countedCashCents: 0 }),
      bar.bartender.error('shifts.listZReports', {}),
      bar.bartender.error('shifts.getZReport', { id: z.id }),
      bar.bartender.error('shifts.recordCashMovement', { kind: 'paid_out', amountCents: 100, reason: 'Taxi' }),
    ]) {
      await expect(refused).resolves.toMatchObject({ code: 'BB_FORBIDDEN', statusCode: 403 });
    }
    // The other venue's shift is its own: still none open there.
    await expect(other.venue.manager.error('shifts.getXReport', {})).resolves.toMatchObject({ statusCode: 404 });
  });
});
