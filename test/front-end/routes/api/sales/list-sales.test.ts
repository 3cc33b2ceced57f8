/**
 * GET /api/v1/sales (operationId listSales) a page at a time: limit and
 * cursor in the query string, {items, nextCursor, period} back, business
 * days (currentDay, fromDay, toDay), refusals naming the field, and the
 * OpenAPI document saying so.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Worker } from '@barback/back-end';
import { startFrontEnd, type HttpClient, type TestFrontEnd } from '../../../../helpers/app.js';
import { productInput, registerOverHttp, type Product, type Sale } from '../../../../helpers/venue.js';
import { startWorker } from '../../../../helpers/worker.js';

let worker: Worker;
let frontEnd: TestFrontEnd;
let manager: HttpClient;
let sold: string[];

beforeAll(async () => {
  worker = await startWorker();
  frontEnd = await startFrontEnd();
  manager = (await registerOverHttp(frontEnd, 'api-sales-pages')).manager;
  const created = await manager.post('/api/v1/products', productInput());
  expect(created.statusCode).toBe(201);
  const pint = created.json<Product>().servings.find((s) => s.name === 'Pint')!.id;
  sold = [];
  for (let i = 0; i < 7; i += 1) {
    const res = await manager.post('/api/v1/sales', { lines: [{ servingId: pint, quantity: 1 }], payments: [{ method: 'cash', amountCents: 560 }] });
    expect(res.statusCode).toBe(201);
    sold.push(res.json<Sale>().id);
  }
});
afterAll(async () => {
  await frontEnd?.close();
  await worker?.stop();
});

describe('GET /api/v1/sales', () => {
  it('pages with limit and cursor, newest first, until nextCursor is null', async () => {
    const from = encodeURIComponent(new Date(Date.now() - 3_600_000).toISOString());
    const ids: string[] = [];
    const sizes: number[] = [];
    let url = `/api/v1/sales?from=${from}&limit=3`;
    for (let pages = 0; pages < 10; pages += 1) {
      const res = await manager.get(url);
      expect(res.statusCode).toBe(200);
      const body = res.json<{ items: Sale[]; nextCursor: string | null }>();
      ids.push(...body.items.map((s) => s.id));
      sizes.push(body.items.length);
      if (!body.nextCursor) break;
      url = `/api/v1/sales?from=${from}&limit=3&cursor=${encodeURIComponent(body.nextCursor)}`;
    }
    expect(sizes).toEqual([3, 3, 1]);
    expect(ids).toEqual([...sold].reverse());
  });

  it('answers 100 a page by default, with nextCursor null when that is all', async () => {
    const res = await manager.get('/api/v1/sales');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ items: expect.any(Array), nextCursor: null, period: { from: expect.any(String), to: expect.any(String), fromDay: null, toDay: null } });
    expect(res.json().items).toHaveLength(7);
  });

  it('lists the business day under way with currentDay, by the venue\'s calendar', async () => {
    const res = await manager.get('/api/v1/sales?currentDay=true');
    expect(res.statusCode).toBe(200);
    const body = res.json<{ items: Sale[]; period: { from: string; to: string; fromDay: string; toDay: string } }>();
    expect(body.items.map((s) => s.id)).toEqual([...sold].reverse());
    expect(body.period.toDay).toBe(body.period.fromDay);
    expect(body.period.fromDay).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    // 24 hours, or 23 or 25 on the night the clocks change.
    expect([23, 24, 25]).toContain((Date.parse(body.period.to) - Date.parse(body.period.from)) / 3_600_000);
  });

  it('refuses a limit out of range and a bad cursor with 400 naming the field', async () => {
    for (const [query, field] of [
      ['limit=501', 'limit'],
      ['limit=0', 'limit'],
      ['limit=ten', 'limit'],
      ['fromDay=2026-13-01', 'fromDay'],
      ['fromDay=2026-11-21&toDay=2026-11-20', 'toDay'], // refused by the worker
      ['currentDay=true&fromDay=2026-11-20', 'currentDay'],
      ['currentDay=maybe', 'currentDay'],
      ['cursor=abc', 'cursor'], // well-formed text, refused by the worker
      ['cursor=%27%20OR%201%3D1', 'cursor'], // refused by the route's schema
      [`cursor=${'A'.repeat(201)}`, 'cursor'],
    ] as const) {
      const res = await manager.get(`/api/v1/sales?${query}`);
      expect({ query, status: res.statusCode, code: res.json().error.code, field: res.json().error.field }).toEqual({
        query,
        status: 400,
        code: 'BB_VALIDATION',
        field,
      });
    }
  });
});

describe('OpenAPI', () => {
  it('documents limit, cursor and nextCursor on listSales and auditLog', async () => {
    const doc = (await frontEnd.client().get('/api/openapi.json')).json<{
      paths: Record<string, Record<string, { operationId: string; parameters: { name: string; in: string; schema: Record<string, unknown> }[]; responses: Record<string, { content: Record<string, { schema: { properties: Record<string, unknown>; required?: string[] } }> }> }>>;
    }>();
    for (const [path, operationId, more] of [
      // listSales also says which period it covered (business days worked out by the worker).
      ['/api/v1/sales', 'listSales', ['period']],
      ['/api/v1/audit', 'auditLog', []],
    ] as const) {
      const op = doc.paths[path]!.get!;
      expect(op.operationId).toBe(operationId);
      const params = Object.fromEntries(op.parameters.filter((p) => p.in === 'query').map((p) => [p.name, p.schema]));
      expect(params.limit).toMatchObject({ type: 'integer', minimum: 1, maximum: 500, default: 100 });
      expect(params.cursor).toMatchObject({ type: 'string' });
      const reply = op.responses['200']!.content['application/json']!.schema;
      expect(Object.keys(reply.properties).sort()).toEqual(['items', 'nextCursor', ...more]);
      expect(reply.required).toEqual(expect.arrayContaining(['items', 'nextCursor']));
    }
  });
});
