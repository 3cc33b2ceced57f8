/**
 * sales.listSales by business days (back-end/src/handlers/sales/list-sales.ts):
 * fromDay/toDay/currentDay worked out by the venue's own rule (Europe/Dublin,
 * the day starting at businessDayStartHour), across the 06:00 rollover, in
 * winter and in summer time, after the start hour changes; and each sale's
 * voids and catalogue names, on getSale and listSales alike. Sales are rung
 * through the worker and then moved to a chosen close time in the database:
 * the only way to have a sale at 05:59:59 on a given night.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { RequestOf } from '@barback/messaging';
import { businessDay } from '../../../../back-end/src/domain/business-day.js';
import { stoutBar, type StoutBar } from '../../../helpers/venue.js';

let bar: StoutBar;
/** The sales moved to each instant, by a name for the test. */
const at: Record<string, string> = {};

/** A pint rung through the worker, then closed at `iso` as far as the database is concerned. */
async function ringAt(iso: string): Promise<string> {
  const sale = await bar.bartender.call('sales.recordSale', { lines: [{ servingId: bar.pintId, quantity: 1 }], payments: [{ method: 'card', amountCents: 560 }] });
  const db = await bar.rig.primary();
  await db.query('UPDATE tabs SET opened_at = $2, closed_at = $2 WHERE id = $1', [sale.id, iso]);
  return sale.id;
}

/** The manager's next reads wait for everything written on the primary so far (the UPDATEs above report no position). */
async function readAfterPrimary(): Promise<void> {
  const db = await bar.rig.primary();
  bar.venue.manager.lsn = (await db.query<{ lsn: string }>('SELECT pg_current_wal_lsn()::text AS lsn')).rows[0]!.lsn;
}

async function ids(filter: RequestOf<'sales.listSales'>): Promise<string[]> {
  return (await bar.venue.manager.call('sales.listSales', filter)).items.map((s) => s.id);
}

beforeAll(async () => {
  bar = await stoutBar('list-sales-days');
  // Winter: Dublin is on UTC. Business day 2026-11-20 at 06:00 runs [2026-11-20T06:00Z, 2026-11-21T06:00Z).
  for (const iso of ['2026-11-20T05:59:59Z', '2026-11-20T06:00:00Z', '2026-11-21T02:30:00Z', '2026-11-21T05:30:00Z', '2026-11-21T06:00:00Z']) at[iso] = await ringAt(iso);
  // Summer: Dublin is UTC+1, so 06:00 there is 05:00Z.
  for (const iso of ['2026-07-10T04:59:59Z', '2026-07-10T05:00:00Z']) at[iso] = await ringAt(iso);
  await readAfterPrimary();
}, 60_000);
afterAll(async () => {
  await bar?.rig.close();
});

describe('sales.listSales by business day', () => {
  it('a day runs from 06:00 to 06:00 in Dublin: 05:59:59 is the night before, 06:00 the new day, newest first', async () => {
    expect(await ids({ fromDay: '2026-11-20' })).toEqual([at['2026-11-21T05:30:00Z'], at['2026-11-21T02:30:00Z'], at['2026-11-20T06:00:00Z']]);
    expect(await ids({ fromDay: '2026-11-19' })).toEqual([at['2026-11-20T05:59:59Z']]);
    expect(await ids({ toDay: '2026-11-21' })).toEqual([at['2026-11-21T06:00:00Z']]);
    const page = await bar.venue.manager.call('sales.listSales', { fromDay: '2026-11-19', toDay: '2026-11-21' });
    expect(page.items).toHaveLength(5);
    expect(page.period).toEqual({ from: '2026-11-19T06:00:00.000Z', to: '2026-11-22T06:00:00.000Z', fromDay: '2026-11-19', toDay: '2026-11-21' });
  });

  it('in summer time the day starts at 05:00 UTC', async () => {
    expect(await ids({ fromDay: '2026-07-10' })).toEqual([at['2026-07-10T05:00:00Z']]);
    expect(await ids({ fromDay: '2026-07-09' })).toEqual([at['2026-07-10T04:59:59Z']]);
  });

  it('pages a range of days with the same filter', async () => {
    const first = await bar.venue.manager.call('sales.listSales', { fromDay: '2026-11-19', toDay: '2026-11-21', limit: 2 });
    const second = await bar.venue.manager.call('sales.listSales', { fromDay: '2026-11-19', toDay: '2026-11-21', limit: 2, cursor: first.nextCursor! });
    const third = await bar.venue.manager.call('sales.listSales', { fromDay: '2026-11-19', toDay: '2026-11-21', limit: 2, cursor: second.nextCursor! });
    expect([...first.items, ...second.items, ...third.items].map((s) => s.id)).toEqual(await ids({ fromDay: '2026-11-19', toDay: '2026-11-21' }));
    expect(third.nextCursor).toBeNull();
  });

  it('currentDay is the business day under way now, by the same rule', async () => {
    const now = await bar.bartender.call('sales.recordSale', { lines: [{ servingId: bar.pintId, quantity: 1 }], payments: [{ method: 'cash', amountCents: 560 }] });
    bar.venue.manager.lsn = bar.bartender.lsn;
    const before = businessDay(new Date(), 'Europe/Dublin', 6);
    const page = await bar.venue.manager.call('sales.listSales', { currentDay: true });
    const after = businessDay(new Date(), 'Europe/Dublin', 6);
    // The same day unless the test ran across 06:00, when either is right.
    expect([before.date, after.date]).toContain(page.period.fromDay);
    expect(page.period.toDay).toBe(page.period.fromDay);
    expect(page.items.map((s) => s.id)).toContain(now.id);
    expect(page.items.map((s) => s.id)).not.toContain(at['2026-11-21T06:00:00Z']);
  });

  it('follows the start hour when a manager changes it', async () => {
    await bar.venue.manager.call('venue.updateSettings', { bartendersMayVoid: true, businessDayStartHour: 5 });
    try {
      // Now [2026-11-20T05:00Z, 2026-11-21T05:00Z): 05:59:59 joins the day, 05:30 the next morning leaves it.
      expect(await ids({ fromDay: '2026-11-20' })).toEqual([at['2026-11-21T02:30:00Z'], at['2026-11-20T06:00:00Z'], at['2026-11-20T05:59:59Z']]);
      expect(await ids({ fromDay: '2026-11-21' })).toEqual([at['2026-11-21T06:00:00Z'], at['2026-11-21T05:30:00Z']]);
    } finally {
      await bar.venue.manager.call('venue.updateSettings', { bartendersMayVoid: true, businessDayStartHour: 6 });
    }
  });

  it('refuses mixed or backwards filters with 400 naming the field', async () => {
    const cases: Array<[RequestOf<'sales.listSales'>, string]> = [
      [{ fromDay: '2026-11-20', from: '2026-11-20T00:00:00Z' }, 'fromDay'],
      [{ toDay: '2026-11-20', to: '2026-11-20T00:00:00Z' }, 'toDay'],
      [{ fromDay: '2026-11-21', toDay: '2026-11-20' }, 'toDay'],
      [{ currentDay: true, fromDay: '2026-11-20' }, 'currentDay'],
      [{ currentDay: true, from: '2026-11-20T00:00:00Z' }, 'currentDay'],
      [{ fromDay: '2026-02-30' }, 'fromDay'],
      [{ toDay: '20-11-2026' }, 'toDay'],
    ];
    for (const [filter, field] of cases) {
      const err = await bar.venue.manager.error('sales.listSales', filter);
      expect({ filter, code: err.code, status: err.statusCode, field: err.field }).toEqual({ filter, code: 'BB_VALIDATION', status: 400, field });
    }
  });
});

describe('a sale shows its voids and its lines by catalogue name', () => {
  it('on getSale, listSales, the closing reply and a quick sale alike', async () => {
    const tab = await bar.bartender.call('till.openTab', { name: 'Table 9' });
    await bar.bartender.call('till.addTabLine', { tabId: tab.id, servingId: bar.pintId, quantity: 2 });
    const withHalf = await bar.bartender.call('till.addTabLine', { tabId: tab.id, servingId: bar.halfId, quantity: 1 });
    const half = withHalf.lines.find((l) => l.servingId === bar.halfId)!;
    await bar.bartender.call('till.voidTabLine', { tabId: tab.id, lineId: half.id, reason: 'Rang the wrong one' });
    const closed = await bar.bartender.call('till.closeTab', { tabId: tab.id, payments: [{ method: 'card', amountCents: 1120 }] });
    bar.venue.manager.lsn = bar.bartender.lsn;
    const got = await bar.venue.manager.call('sales.getSale', { id: closed.id });
    expect(got).toEqual(closed);
    expect(got.lines.map((l) => ({ productName: l.productName, servingName: l.servingName, quantity: l.quantity }))).toEqual([
      { productName: bar.stout.name, servingName: 'Pint', quantity: 2 },
    ]);
    expect(got.voids).toEqual([
      {
        lineId: half.id,
        description: `${bar.stout.name} (Half)`,
        quantity: 1,
        grossCents: 300,
        voidedAt: expect.any(String),
        voidedBy: { id: bar.bartender.staffId, name: expect.any(String) },
        reason: 'Rang the wrong one',
      },
    ]);
    const listed = (await bar.venue.manager.call('sales.listSales', { currentDay: true })).items.find((s) => s.id === closed.id);
    expect(listed).toEqual(got);

    const quick = await bar.bartender.call('sales.recordSale', { lines: [{ servingId: bar.halfId, quantity: 1 }], payments: [{ method: 'cash', amountCents: 300 }] });
    bar.venue.manager.lsn = bar.bartender.lsn;
    expect(quick.voids).toEqual([]);
    expect(quick.lines[0]).toMatchObject({ productName: bar.stout.name, servingName: 'Half' });
    expect(await bar.venue.manager.call('sales.getSale', { id: quick.id })).toEqual(quick);
  });
});
