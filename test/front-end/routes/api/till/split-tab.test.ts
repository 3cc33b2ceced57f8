/**
 * POST /api/v1/tabs/split (operationId splitTab): some lines of an open tab
 * move to a new one, answered 201 with the new tab; refusals name the line.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Worker } from '@barback/back-end';
import { startFrontEnd, type TestFrontEnd } from '../../../../helpers/app.js';
import { registerOverHttp, productInput, type HttpVenue, type Product, type Tab } from '../../../../helpers/venue.js';
import { startWorker } from '../../../../helpers/worker.js';

let worker: Worker;
let frontEnd: TestFrontEnd;
let venue: HttpVenue;
let pint: string;

beforeAll(async () => {
  worker = await startWorker();
  frontEnd = await startFrontEnd();
  venue = await registerOverHttp(frontEnd, 'api-split');
  const product = await venue.manager.post('/api/v1/products', productInput());
  expect(product.statusCode).toBe(201);
  pint = product.json<Product>().servings.find((s) => s.name === 'Pint')!.id;
});
afterAll(async () => {
  await frontEnd?.close();
  await worker?.stop();
});

describe('POST /api/v1/tabs/split', () => {
  it('moves the chosen lines to a new tab, once per Idempotency-Key', async () => {
    const opened = await venue.manager.post('/api/v1/tabs', { name: 'Table 2' });
    const tabId = opened.json<Tab>().id;
    let tab: Tab | undefined;
    for (let i = 0; i < 3; i += 1) tab = (await venue.manager.post('/api/v1/tabs/lines', { tabId, servingId: pint, quantity: 1 })).json<Tab>();
    const lineIds = tab!.lines.slice(1).map((l) => l.id);

    const headers = { 'idempotency-key': `split-${tabId}` };
    const split = await venue.manager.post('/api/v1/tabs/split', { tabId, lineIds, name: 'Joe' }, { headers });
    expect(split.statusCode).toBe(201);
    expect(split.json()).toMatchObject({ name: 'Joe', status: 'open', grossCents: 1120 });
    const again = await venue.manager.post('/api/v1/tabs/split', { tabId, lineIds, name: 'Joe' }, { headers });
    expect(again.json().id).toBe(split.json().id);
    expect((await venue.manager.get(`/api/v1/tabs/${tabId}`)).json<Tab>().lines).toHaveLength(1);

    const nothing = await venue.manager.post('/api/v1/tabs/split', { tabId, lineIds: [] });
    expect(nothing.statusCode).toBe(400);
    expect(nothing.json().error.field).toBe('lineIds');
    const everything = await venue.manager.post('/api/v1/tabs/split', { tabId, lineIds: [tab!.lines[0]!.id] });
    expect(everything.statusCode).toBe(400);
    expect(everything.json().error).toMatchObject({ code: 'BB_VALIDATION', field: 'lineIds' });
  });

  it('is documented as splitTab', async () => {
    const doc = (await frontEnd.client().get('/api/openapi.json')).json();
    expect(doc.paths['/api/v1/tabs/split'].post.operationId).toBe('splitTab');
  });
});
