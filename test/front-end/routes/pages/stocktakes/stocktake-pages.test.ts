/**
 * The stocktake pages (front-end/src/routes/pages/stocktakes/), driven as a
 * browser without script would: a manager starts a stocktake, a bartender
 * counts on the sheet (a count posted twice, as a flaky connection would,
 * applies once), the manager closes it and reads the variance and its CSV,
 * and the reorder list and its CSV, with a formula-like name made safe.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Worker } from '@barback/back-end';
import { createProduct, type ProductBody } from '../../../../helpers/api.js';
import { startFrontEnd, type HttpClient, type TestFrontEnd } from '../../../../helpers/app.js';
import { formsIn, postForm } from '../../../../helpers/forms.js';
import { registerOverHttp, staffOverHttp, type HttpVenue } from '../../../../helpers/venue.js';
import { startWorker } from '../../../../helpers/worker.js';

let worker: Worker;
let frontEnd: TestFrontEnd;
let venue: HttpVenue;
let manager: HttpClient;
let bartender: HttpClient;
let lager: ProductBody;

beforeAll(async () => {
  worker = await startWorker();
  frontEnd = await startFrontEnd();
  venue = await registerOverHttp(frontEnd, 'stocktake-pages');
  manager = venue.manager;
  bartender = (await staffOverHttp(frontEnd, venue, 'bartender')).client;
  // A name a spreadsheet would run as a formula, par 2 so it is on the reorder list.
  lager = await createProduct(manager, { name: `=Lager ${Date.now()}`, parUnits: 2 });
});
afterAll(async () => {
  await frontEnd?.close();
  await worker?.stop();
});

describe('the stocktake pages', () => {
  it('start, count once though posted twice, close, and read the variance and its CSV', async () => {
    const list = await manager.get('/stocktakes');
    expect(list.statusCode).toBe(200);
    const [start] = formsIn(list.body, '/stocktakes');
    const started = await postForm(manager, start!.action, start!.fields);
    expect(started.statusCode).toBe(303);
    const sheetUrl = started.headers.location as string;
    expect(sheetUrl).toMatch(/^\/stocktakes\/[0-9a-f-]{36}$/);

    const sheet = await bartender.get(sheetUrl);
    expect(sheet.statusCode).toBe(200);
    expect(sheet.body).toContain('data-testid="progress">0 of 1 counted');
    const [count] = formsIn(sheet.body, `${sheetUrl}/count`);
    expect(count!.fields.productId).toBe(lager.id);
    const fields = { ...count!.fields, fullUnits: '2', partialTenths: '3' };
    const first = await postForm(bartender, count!.action, fields);
    expect(first.statusCode).toBe(303);
    const again = await postForm(bartender, count!.action, fields);
    expect(again.statusCode).toBe(303);
    const counted = await bartender.get(sheetUrl);
    expect(counted.body).toContain('data-testid="progress">1 of 1 counted');
    expect(counted.body).toContain('data-testid="counted">✓ 2.3');
    // Bartenders see no close form.
    expect(formsIn(counted.body, `${sheetUrl}/close`)).toEqual([]);
    const id = sheetUrl.split('/').at(-1)!;
    // Counted once: one stocktake.counted event for the two posts.
    const events = await manager.get('/api/v1/events?type=stocktake.counted');
    expect(events.statusCode).toBe(200);
    expect(events.json<{ items: Array<{ aggregateId: string }> }>().items.filter((e) => e.aggregateId === id)).toHaveLength(1);

    const managerSheet = await manager.get(sheetUrl);
    const [close] = formsIn(managerSheet.body, `${sheetUrl}/close`);
    const closed = await postForm(manager, close!.action, close!.fields);
    expect(closed.statusCode).toBe(303);
    expect(closed.headers.location).toBe(`${sheetUrl}/variance`);

    const variance = await manager.get(`${sheetUrl}/variance`);
    expect(variance.statusCode).toBe(200);
    expect(variance.body).toContain('data-testid="variance-table"');
    expect(variance.body).toContain(lager.name);
    const csv = await manager.get(`${sheetUrl}/variance.csv`);
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    const lines = csv.body.split('\r\n');
    expect(lines[0]).toMatch(/^product,category,opening_units,/);
    // The formula-like name made safe; 2.3 kegs counted from nothing: closing 2.3.
    expect(lines[1]).toMatch(new RegExp(`^'${lager.name},draught,0,0,0,2\\.3,`));
    expect(lines[2]).toMatch(/^Total,/);
    expect((await bartender.get(`${sheetUrl}/variance`)).statusCode).toBe(403);
  });

  it('shows the reorder list and exports it', async () => {
    // On hand 2.3 ≥ par 2: not listed; par raised to 5 → ceil(2.7) = 3.
    expect((await manager.get('/reorder')).body).toContain('data-testid="nothing-to-order"');
    const raised = await manager.request({ method: 'PATCH', url: `/api/v1/products/${lager.id}`, payload: { parUnits: 5 }, csrf: true });
    expect(raised.statusCode).toBe(200);
    const page = await manager.get('/reorder');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('No supplier yet');
    const csv = await manager.get('/reorder.csv');
    expect(csv.body.split('\r\n')[1]).toMatch(new RegExp(`^,'${lager.name},draught,2\\.3,5,3,`));
  });
});
