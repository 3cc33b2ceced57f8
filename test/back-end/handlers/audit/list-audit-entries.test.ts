/**
 * audit.listAuditEntries a page at a time (back-end/src/handlers/audit/list-audit-entries.ts):
 * every entry exactly once while new ones keep being recorded, ties on the
 * time broken by id to the microsecond, the filters kept on every page, and
 * a bad cursor or limit refused with the field named; and the audit trail
 * append-only at the database, filterable by action, staff member and time.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { ReplyOf, RequestOf } from '@barback/messaging';
import {
  addStaff,
  asBartender,
  createProduct,
  createVenue,
  newStaff,
  passwordHash,
  productInput,
  startRig,
  type Caller,
  type Rig,
  type Venue,
} from '../../../helpers/venue.js';

type Page = ReplyOf<'audit.listAuditEntries'>;

// Entries of one person and one action: password changes (refused manager actions are audited only a few a minute per person).
const DENIALS = 150;
const BATCH = 25;

let rig: Rig;
let venue: Venue;
let bartender: Caller;

/** A bartender setting their password: recorded as auth.passwordChange (one audit entry each). */
async function deny(caller: Caller): Promise<void> {
  await caller.call('auth.setPassword', { passwordHash: await passwordHash() });
}

async function allPages(caller: Caller, filter: RequestOf<'audit.listAuditEntries'>): Promise<Page[]> {
  const pages: Page[] = [];
  let cursor: string | undefined;
  do {
    const page = await caller.call('audit.listAuditEntries', { ...filter, ...(cursor ? { cursor } : {}) });
    pages.push(page);
    cursor = page.nextCursor ?? undefined;
    if (pages.length > 1_000) throw new Error('the cursor does not advance');
  } while (cursor);
  return pages;
}

/** Refusals and SQL report no write position: make the caller's next reads wait for the primary as it is now. */
async function readAfterPrimary(caller: Caller): Promise<void> {
  const db = await rig.primary();
  caller.lsn = (await db.query<{ lsn: string }>('SELECT pg_current_wal_lsn()::text AS lsn')).rows[0]!.lsn;
}

async function auditIds(venueId: string): Promise<string[]> {
  const db = await rig.primary();
  const { rows } = await db.query<{ id: string }>('SELECT id::text AS id FROM audit_log WHERE venue_id = $1 ORDER BY at DESC, id DESC', [venueId]);
  return rows.map((r) => r.id);
}

beforeAll(async () => {
  rig = await startRig();
  venue = await createVenue(rig, 'list-audit');
  bartender = await asBartender(venue);
  for (let done = 0; done < DENIALS; done += BATCH) await Promise.all(Array.from({ length: BATCH }, () => deny(bartender)));
}, 120_000);
afterAll(async () => {
  await rig?.close();
});

describe('audit.listAuditEntries pages', () => {
  it('return every entry exactly once while new ones keep being recorded', async () => {
    await readAfterPrimary(venue.manager);
    const before = await auditIds(venue.venueId);
    expect(before.length).toBeGreaterThanOrEqual(DENIALS);

    let paging = true;
    let recorded = 0;
    const denying = (async () => {
      // Bounded: stops when the paging is done, or after 1,000 entries whatever happens.
      while (paging && recorded < 1_000) {
        await deny(bartender);
        recorded += 1;
      }
    })();
    let pages: Page[];
    try {
      while (recorded === 0) await new Promise((r) => setTimeout(r, 10));
      pages = await allPages(venue.manager, { limit: 20 });
    } finally {
      paging = false;
      await denying;
    }

    const listed = pages.flatMap((p) => p.items.map((e) => e.id));
    expect(new Set(listed).size).toBe(listed.length);
    const seen = new Set(listed);
    expect(before.filter((id) => !seen.has(id))).toEqual([]);
    // Anything else listed was recorded during the paging.
    const after = new Set(await auditIds(venue.venueId));
    expect(listed.filter((id) => !after.has(id))).toEqual([]);
    expect(recorded).toBeGreaterThan(0);
    expect(pages.slice(0, -1).every((p) => p.items.length === 20 && p.nextCursor !== null)).toBe(true);
    expect(pages.at(-1)!.nextCursor).toBeNull();
  }, 120_000);

  it('keep the action, staff and period filters on every page', async () => {
    await readAfterPrimary(venue.manager);
    const filter = { action: 'auth.passwordChange', staffId: bartender.staffId };
    const whole = (await allPages(venue.manager, { ...filter, limit: 500 })).flatMap((p) => p.items);
    expect(whole.length).toBeGreaterThanOrEqual(DENIALS);
    expect(whole.every((e) => e.action === 'auth.passwordChange' && e.staffId === bartender.staffId)).toBe(true);
    const paged = await allPages(venue.manager, { ...filter, limit: 7 });
    expect(paged.flatMap((p) => p.items.map((e) => e.id))).toEqual(whole.map((e) => e.id));

    // A period cut out of the middle of the denials; from and to are inclusive, to the microsecond.
    const from = whole[Math.floor(whole.length / 2)]!.at;
    const to = whole[10]!.at;
    const period = (await allPages(venue.manager, { ...filter, from, to, limit: 9 })).flatMap((p) => p.items.map((e) => e.id));
    const db = await rig.primary();
    const expected = await db.query<{ id: string }>(
      `SELECT id::text AS id FROM audit_log
        WHERE venue_id = $1 AND action = 'auth.passwordChange' AND staff_id = $2 AND at >= $3 AND at <= $4 ORDER BY at DESC, id DESC`,
      [venue.venueId, bartender.staffId, from, to],
    );
    expect(period.length).toBeGreaterThan(9);
    expect(period).toEqual(expected.rows.map((r) => r.id));
  });

  it('refuse a bad cursor or limit with 400 naming the field', async () => {
    const { nextCursor } = await venue.manager.call('audit.listAuditEntries', { limit: 2 });
    expect(nextCursor).not.toBeNull();
    const edited = nextCursor!.slice(0, 6) + (nextCursor![6] === 'A' ? 'B' : 'A') + nextCursor!.slice(7);
    const sales = (await venue.manager.call('sales.listSales', {})).nextCursor;
    for (const cursor of ['abc', edited, nextCursor!.slice(0, -2), ...(sales ? [sales] : [])]) {
      const err = await venue.manager.error('audit.listAuditEntries', { cursor });
      expect({ cursor, code: err.code, status: err.statusCode, field: err.field }).toEqual({ cursor, code: 'BB_VALIDATION', status: 400, field: 'cursor' });
    }
    for (const limit of [0, 501]) {
      const err = await venue.manager.error('audit.listAuditEntries', { limit });
      expect({ limit, code: err.code, field: err.field }).toEqual({ limit, code: 'BB_VALIDATION', field: 'limit' });
    }
  });

  it('break ties on the time by id, to the microsecond', async () => {
    const tied = await createVenue(rig, 'list-audit-ties');
    // Rows written straight into the log (inserts are all it allows): four at one instant, five a microsecond
    // apart within the same millisecond, so a key kept to the millisecond would skip or repeat some.
    const db = await rig.primary();
    await db.query(
      `INSERT INTO audit_log (venue_id, staff_id, action, at)
       SELECT $1, $2, 'test.tie', date_trunc('milliseconds', now() - interval '1 minute') + greatest(n - 4, 0) * interval '1 microsecond'
         FROM generate_series(1, 9) AS n`,
      [tied.venueId, tied.manager.staffId],
    );
    await readAfterPrimary(tied.manager);
    const expected = await db.query<{ id: string }>(
      `SELECT id::text AS id FROM audit_log WHERE venue_id = $1 AND action = 'test.tie' ORDER BY at DESC, id DESC`,
      [tied.venueId],
    );
    expect(expected.rows).toHaveLength(9);
    for (const limit of [1, 2, 4]) {
      const pages = await allPages(tied.manager, { action: 'test.tie', limit });
      expect({ limit, ids: pages.flatMap((p) => p.items.map((e) => e.id)) }).toEqual({ limit, ids: expected.rows.map((r) => r.id) });
    }
  });
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

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
