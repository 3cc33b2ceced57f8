/**
 * sales.listSales a page at a time (back-end/src/handlers/sales/list-sales.ts):
 * every sale exactly once however the pages are cut, while new sales keep
 * arriving; ties on the close time broken by id to the microsecond; the
 * filters kept; a bad cursor or limit refused with the field named.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { ReplyOf, RequestOf } from '@barback/messaging';
import { asBartender, createProduct, createVenue, serving, startRig, type Caller, type Rig, type Venue } from '../../../helpers/venue.js';

type Page = ReplyOf<'sales.listSales'>;

const SEEDED = 1_200;
const BATCH = 48;

let rig: Rig;
let venue: Venue;
let till: Caller;
let pintId: string;
let seeded: string[];

function ringPint(caller: Caller): Promise<ReplyOf<'sales.recordSale'>> {
  return caller.call('sales.recordSale', { lines: [{ servingId: pintId, quantity: 1 }], payments: [{ method: 'card', amountCents: 560 }] });
}

/** Every page of a listing, following nextCursor, each with the same filters. */
async function allPages(caller: Caller, filter: RequestOf<'sales.listSales'>): Promise<Page[]> {
  const pages: Page[] = [];
  let cursor: string | undefined;
  do {
    const page = await caller.call('sales.listSales', { ...filter, ...(cursor ? { cursor } : {}) });
    pages.push(page);
    cursor = page.nextCursor ?? undefined;
    if (pages.length > 1_000) throw new Error('the cursor does not advance');
  } while (cursor);
  return pages;
}

/** Makes the caller's next reads wait for everything written on the primary so far (SQL shortcuts report no position). */
async function readAfterPrimary(caller: Caller): Promise<void> {
  const db = await rig.primary();
  caller.lsn = (await db.query<{ lsn: string }>('SELECT pg_current_wal_lsn()::text AS lsn')).rows[0]!.lsn;
}

beforeAll(async () => {
  rig = await startRig();
  venue = await createVenue(rig, 'list-sales');
  till = await asBartender(venue);
  pintId = serving(await createProduct(venue.manager), 'Pint').id;
  // Through the real worker, BATCH at a time: about 10 s for 1,200 on the 2-core machine.
  seeded = [];
  for (let done = 0; done < SEEDED; done += BATCH) {
    const sales = await Promise.all(Array.from({ length: Math.min(BATCH, SEEDED - done) }, () => ringPint(till)));
    seeded.push(...sales.map((s) => s.id));
  }
  // The paging below reads after every seeded sale.
  venue.manager.lsn = till.lsn;
}, 240_000);
afterAll(async () => {
  await rig?.close();
});

describe('sales.listSales pages', () => {
  it('return each of 1,200 sales exactly once while new sales keep arriving', async () => {
    let paging = true;
    const arrived: string[] = [];
    const ringing = (async () => {
      // Bounded: stops when the paging is done, or after 2,000 sales whatever happens.
      while (paging && arrived.length < 2_000) arrived.push((await ringPint(till)).id);
    })();
    let pages: Page[];
    try {
      // Wait for the first concurrent sale, so the pages are walked while sales land.
      while (arrived.length === 0) await new Promise((r) => setTimeout(r, 10));
      pages = await allPages(venue.manager, { limit: 100 });
    } finally {
      paging = false;
      await ringing;
    }

    const listed = pages.flatMap((p) => p.items.map((s) => s.id));
    expect(new Set(listed).size).toBe(listed.length);
    const seen = new Set(listed);
    expect(seeded.filter((id) => !seen.has(id))).toEqual([]);
    // Anything else listed is a sale rung during the paging, never something unknown.
    const known = new Set([...seeded, ...arrived]);
    expect(listed.filter((id) => !known.has(id))).toEqual([]);
    expect(arrived.length).toBeGreaterThan(0);
    // 1,200 and more at 100 a page: full pages, and the last one says it is the last.
    expect(pages.length).toBeGreaterThanOrEqual(12);
    expect(pages.slice(0, -1).every((p) => p.items.length === 100 && p.nextCursor !== null)).toBe(true);
    expect(pages.at(-1)!.nextCursor).toBeNull();
    // Newest first across page boundaries.
    const closed = pages.flatMap((p) => p.items.map((s) => Date.parse(s.closedAt)));
    expect(closed.every((t, i) => i === 0 || t <= closed[i - 1]!)).toBe(true);
  }, 180_000);

  it('answer 100 sales by default and up to 500 when asked, never more', async () => {
    const first = await venue.manager.call('sales.listSales', {});
    expect(first.items).toHaveLength(100);
    expect(first.nextCursor).not.toBeNull();
    const big = await venue.manager.call('sales.listSales', { limit: 500 });
    expect(big.items).toHaveLength(500);
    expect(big.items.slice(0, 100).map((s) => s.id)).toEqual(first.items.map((s) => s.id));
    const tooMany = await venue.manager.error('sales.listSales', { limit: 501 });
    expect({ code: tooMany.code, field: tooMany.field }).toEqual({ code: 'BB_VALIDATION', field: 'limit' });
    const none = await venue.manager.error('sales.listSales', { limit: 0 });
    expect({ code: none.code, field: none.field }).toEqual({ code: 'BB_VALIDATION', field: 'limit' });
  });

  it('keep the period filter on every page', async () => {
    // The seeded sales in the middle: from the 300th oldest up to (not including) the 900th oldest.
    const db = await rig.primary();
    const { rows } = await db.query<{ from: Date; to: Date }>(
      `SELECT (SELECT closed_at FROM tabs WHERE id = $1) AS from, (SELECT closed_at FROM tabs WHERE id = $2) AS to`,
      [seeded[300], seeded[900]],
    );
    const from = rows[0]!.from.toISOString();
    const to = rows[0]!.to.toISOString();
    const everything = await allPages(venue.manager, { from, to, limit: 500 });
    const paged = await allPages(venue.manager, { from, to, limit: 37 });
    const ids = (pages: Page[]) => pages.flatMap((p) => p.items.map((s) => s.id));
    expect(ids(paged)).toEqual(ids(everything));
    expect(ids(paged).length).toBeGreaterThan(37);
    // Replies carry milliseconds: [from, to) to the microsecond shows as [from, to] to the millisecond.
    const times = paged.flatMap((p) => p.items.map((s) => Date.parse(s.closedAt)));
    expect(times.every((t) => t >= Date.parse(from) && t <= Date.parse(to))).toBe(true);
    expect(ids(paged)).toContain(seeded[300]);
    expect(ids(paged)).not.toContain(seeded[900]);
  });

  it('refuse a malformed, edited or foreign cursor with 400 naming the field, before any SQL', async () => {
    const { nextCursor } = await venue.manager.call('sales.listSales', { limit: 5 });
    expect(nextCursor).not.toBeNull();
    const edited = nextCursor!.slice(0, 10) + (nextCursor![10] === 'A' ? 'B' : 'A') + nextCursor!.slice(11);
    const audit = (await venue.manager.call('audit.listAuditEntries', { limit: 1 })).nextCursor;
    const badCursors = ['abc', 'AAAAAAAAAAAAAAAA', edited, nextCursor!.slice(0, -4), ...(audit ? [audit] : [])];
    for (const cursor of badCursors) {
      const err = await venue.manager.error('sales.listSales', { cursor });
      expect({ cursor, code: err.code, status: err.statusCode, field: err.field }).toEqual({ cursor, code: 'BB_VALIDATION', status: 400, field: 'cursor' });
    }
    // Characters a cursor never has are refused by the contract itself.
    const junk = await venue.manager.error('sales.listSales', { cursor: "x' OR 1=1 --" });
    expect({ code: junk.code, field: junk.field }).toEqual({ code: 'BB_VALIDATION', field: 'cursor' });
  });

  it("page another venue's cursor through the caller's own sales only", async () => {
    const other = await createVenue(rig, 'list-sales-other');
    const { nextCursor } = await venue.manager.call('sales.listSales', { limit: 1 });
    const page = await other.manager.call('sales.listSales', { cursor: nextCursor! });
    expect({ items: page.items, nextCursor: page.nextCursor }).toEqual({ items: [], nextCursor: null });
  });

  it('break ties on the close time by id, to the microsecond', async () => {
    const tied = await createVenue(rig, 'list-sales-ties');
    const pint = serving(await createProduct(tied.manager), 'Pint').id;
    const sales = await Promise.all(
      Array.from({ length: 9 }, () =>
        tied.manager.call('sales.recordSale', { lines: [{ servingId: pint, quantity: 1 }], payments: [{ method: 'cash', amountCents: 560 }] }),
      ),
    );
    // Four share one instant; the other five are a microsecond apart within the same millisecond,
    // so a key kept to the millisecond (a JavaScript Date) would skip or repeat some of them.
    const db = await rig.primary();
    await db.query(
      `WITH x AS (SELECT id, row_number() OVER (ORDER BY id) AS n FROM tabs WHERE venue_id = $1)
       UPDATE tabs t SET closed_at = date_trunc('milliseconds', now() - interval '1 minute')
                                     + greatest(x.n - 4, 0) * interval '1 microsecond'
         FROM x WHERE t.id = x.id`,
      [tied.venueId],
    );
    await readAfterPrimary(tied.manager);
    const expected = await db.query<{ id: string }>(`SELECT id FROM tabs WHERE venue_id = $1 ORDER BY closed_at DESC, id DESC`, [tied.venueId]);
    expect(expected.rows.map((r) => r.id).sort()).toEqual(sales.map((s) => s.id).sort());

    for (const limit of [1, 2, 4]) {
      const pages = await allPages(tied.manager, { limit });
      expect({ limit, ids: pages.flatMap((p) => p.items.map((s) => s.id)) }).toEqual({ limit, ids: expected.rows.map((r) => r.id) });
      expect(pages).toHaveLength(Math.ceil(9 / limit));
    }
  });
});
