/**
 * GET /api/v1/audit (operationId auditLog) a page at a time, its filters kept
 * on every page; and filtered by action, staff member and time.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Worker } from '@barback/back-end';
import { startFrontEnd, type HttpClient, type TestFrontEnd } from '../../../../helpers/app.js';
import { productInput, registerOverHttp, staffOverHttp } from '../../../../helpers/venue.js';
import { startWorker } from '../../../../helpers/worker.js';

interface Entry {
  id: string;
  action: string;
  staffId: string | null;
}

let worker: Worker;
let frontEnd: TestFrontEnd;
let manager: HttpClient;
let bartenderId: string;

beforeAll(async () => {
  worker = await startWorker();
  frontEnd = await startFrontEnd();
  const venue = await registerOverHttp(frontEnd, 'api-audit-pages');
  manager = venue.manager;
  const bartender = await staffOverHttp(frontEnd, venue, 'bartender');
  bartenderId = bartender.id;
  // Five refused manager actions: five access.denied entries.
  for (let i = 0; i < 5; i += 1) expect((await bartender.client.get('/api/v1/staff')).statusCode).toBe(403);
});
afterAll(async () => {
  await frontEnd?.close();
  await worker?.stop();
});

async function walk(query: string): Promise<{ ids: string[]; entries: Entry[]; sizes: number[] }> {
  const entries: Entry[] = [];
  const sizes: number[] = [];
  let url = `/api/v1/audit?${query}`;
  for (let pages = 0; pages < 20; pages += 1) {
    const res = await manager.get(url);
    expect(res.statusCode).toBe(200);
    const body = res.json<{ items: Entry[]; nextCursor: string | null }>();
    entries.push(...body.items);
    sizes.push(body.items.length);
    if (!body.nextCursor) break;
    url = `/api/v1/audit?${query}&cursor=${encodeURIComponent(body.nextCursor)}`;
  }
  return { ids: entries.map((e) => e.id), entries, sizes };
}

describe('GET /api/v1/audit', () => {
  it('pages through the filtered trail, every entry once', async () => {
    const filter = `action=access.denied&staffId=${bartenderId}`;
    const whole = (await manager.get(`/api/v1/audit?${filter}`)).json<{ items: Entry[]; nextCursor: string | null }>();
    expect(whole.items).toHaveLength(5);
    expect(whole.nextCursor).toBeNull();
    const paged = await walk(`${filter}&limit=2`);
    expect(paged.sizes).toEqual([2, 2, 1]);
    expect(paged.ids).toEqual(whole.items.map((e) => e.id));
    expect(paged.entries.every((e) => e.action === 'access.denied' && e.staffId === bartenderId)).toBe(true);
  });

  it('pages the unfiltered trail the same way', async () => {
    const whole = (await manager.get('/api/v1/audit?limit=500')).json<{ items: Entry[] }>();
    expect(whole.items.length).toBeGreaterThan(5);
    expect((await walk('limit=1')).ids).toEqual(whole.items.map((e) => e.id));
  });

  it('refuses a limit above 500 and a bad cursor with 400 naming the field', async () => {
    const tooMany = await manager.get('/api/v1/audit?limit=501');
    expect(tooMany.statusCode).toBe(400);
    expect(tooMany.json().error).toMatchObject({ code: 'BB_VALIDATION', field: 'limit' });
    const bad = await manager.get('/api/v1/audit?cursor=bm90LWEtY3Vyc29y');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error).toMatchObject({ code: 'BB_VALIDATION', field: 'cursor' });
  });
});

describe('the audit trail over HTTP', () => {
  it('is filterable by action, staff member and time', async () => {
    const own = await registerOverHttp(frontEnd, 'http-audit');
    const bartender = await staffOverHttp(frontEnd, own, 'bartender');
    const denied = await bartender.client.get('/api/v1/staff');
    expect(denied.statusCode).toBe(403);
    const created = await own.manager.post('/api/v1/products', productInput());
    expect(created.statusCode).toBe(201);

    const all = await own.manager.get('/api/v1/audit');
    expect(all.statusCode).toBe(200);
    const items = all.json().items as { id: string; at: string; action: string; staffId: string | null; staffName: string | null }[];
    expect(items.map((e) => e.action)).toEqual(expect.arrayContaining(['staff.create', 'auth.passwordChange', 'access.denied']));

    const byAction = (await own.manager.get('/api/v1/audit?action=access.denied')).json().items as typeof items;
    expect(byAction.length).toBe(1);
    expect(byAction[0]).toMatchObject({ action: 'access.denied', staffId: bartender.id });

    const byStaff = (await own.manager.get(`/api/v1/audit?staffId=${bartender.id}`)).json().items as typeof items;
    expect(byStaff.map((e) => e.action).sort()).toEqual(['access.denied', 'auth.passwordChange']);

    const future = new Date(Date.now() + 3_600_000).toISOString();
    expect((await own.manager.get(`/api/v1/audit?from=${encodeURIComponent(future)}`)).json().items).toEqual([]);
    const past = new Date(Date.now() - 3_600_000).toISOString();
    expect((await own.manager.get(`/api/v1/audit?to=${encodeURIComponent(past)}`)).json().items).toEqual([]);
    expect((await own.manager.get(`/api/v1/audit?from=${encodeURIComponent(past)}&to=${encodeURIComponent(future)}`)).json().items).toEqual(items);

    const badStaff = await own.manager.get('/api/v1/audit?staffId=nobody');
    expect(badStaff.statusCode).toBe(400);
  });
});
