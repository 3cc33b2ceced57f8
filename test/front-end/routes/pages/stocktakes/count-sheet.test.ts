/**
 * The count sheet (front-end/src/routes/pages/stocktakes/), as the server
 * renders and answers it: products by category, then by where they are kept
 * (places in alphabetical order, "No location" last, the till's order within
 * a place, whether counted or not), a category with no places at all shown
 * without sub-headings; and the JSON answer the sheet's script asks for
 * (Accept: application/json): the count, a refusal naming the field, and one
 * application for a count sent twice with one key.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Worker } from '@barback/back-end';
import { createProduct, type ProductBody } from '../../../../helpers/api.js';
import { startFrontEnd, type TestFrontEnd } from '../../../../helpers/app.js';
import { formsIn, postForm } from '../../../../helpers/forms.js';
import { registerOverHttp, type HttpVenue } from '../../../../helpers/venue.js';
import { startWorker } from '../../../../helpers/worker.js';

let worker: Worker;
let frontEnd: TestFrontEnd;
let venue: HttpVenue;
let sheetUrl: string;
const made: Record<string, ProductBody> = {};

beforeAll(async () => {
  worker = await startWorker();
  frontEnd = await startFrontEnd();
  venue = await registerOverHttp(frontEnd, 'count-sheet');
  const m = venue.manager;
  // Draught: two in the keg room, one in the cellar, one nowhere in particular; made in this order, so the
  // till's order (sortOrder) is A, B, C, D, and the sheet must regroup them.
  made.kegA = await createProduct(m, { name: 'Keg A', location: 'Keg room' });
  made.none = await createProduct(m, { name: 'Loose D' });
  made.cellar = await createProduct(m, { name: 'Cellar B', location: 'cellar' });
  made.kegC = await createProduct(m, { name: 'Keg C', location: 'Keg room' });
  // Wine: no places at all.
  made.wine = await createProduct(m, { name: 'House red', category: 'wine', unitMl: 750, servings: [{ name: 'Glass', ml: 187.5, priceCents: 800 }] });
  const list = await m.get('/stocktakes');
  const [start] = formsIn(list.body, '/stocktakes');
  const started = await postForm(m, start!.action, start!.fields);
  expect(started.statusCode).toBe(303);
  sheetUrl = started.headers.location as string;
});
afterAll(async () => {
  await frontEnd?.close();
  await worker?.stop();
});

/** The sheet's headings and product rows in page order: "## Draught", "### Cellar", "Keg A". */
function outline(html: string): string[] {
  return [...html.matchAll(/<h2>([^<]+)<\/h2>|<h3 class="count-place" data-testid="count-place">([^<]+)<\/h3>|<strong class="count-name">([^<]+)<\/strong>/g)].map(
    (m) => (m[1] ? `## ${m[1]}` : m[2] ? `### ${m[2]}` : m[3]!),
  );
}

describe('the count sheet', () => {
  it('groups a category by location, "No location" last, and keeps a row in place once it is counted', async () => {
    const expected = ['## Draught', '### cellar', 'Cellar B', '### Keg room', 'Keg A', 'Keg C', '### No location', 'Loose D', '## Wine', 'House red'];
    const sheet = await venue.manager.get(sheetUrl);
    expect(sheet.statusCode).toBe(200);
    expect(outline(sheet.body)).toEqual(expected);

    // Counting Keg C (counted rows came first before) moves nothing.
    const form = formsIn(sheet.body, `${sheetUrl}/count`).find((f) => f.fields.productId === made.kegC!.id)!;
    expect((await postForm(venue.manager, form.action, { ...form.fields, fullUnits: '1' })).statusCode).toBe(303);
    const after = await venue.manager.get(sheetUrl);
    expect(outline(after.body)).toEqual(expected);
    expect(after.body).toContain('data-testid="progress">1 of 5 counted');

    // A place cleared on the product: it joins "No location", in the till's order (Loose D was made first).
    const cleared = await venue.manager.request({ method: 'PATCH', url: `/api/v1/products/${made.cellar!.id}`, payload: { location: null }, csrf: true });
    expect(cleared.statusCode).toBe(200);
    expect(outline((await venue.manager.get(sheetUrl)).body)).toEqual(['## Draught', '### Keg room', 'Keg A', 'Keg C', '### No location', 'Loose D', 'Cellar B', '## Wine', 'House red']);
  });

  it('loads its script from our origin only when the stocktake is open', async () => {
    const sheet = await venue.manager.get(sheetUrl);
    expect(sheet.body).toContain('<script src="/static/count-sheet.js" defer></script>');
    expect(sheet.body).toContain(`data-stocktake="${sheetUrl.split('/').at(-1)!}"`);
    const script = await venue.manager.get('/static/count-sheet.js');
    expect(script.statusCode).toBe(200);
    expect(script.headers['content-type']).toMatch(/^text\/javascript/);
    expect(script.body).toContain('getRandomValues');
    // Revalidated by its etag: a tablet gets a new version at once, an unchanged one costs a 304.
    const again = await venue.manager.request({ method: 'GET', url: '/static/count-sheet.js', headers: { 'if-none-match': String(script.headers.etag) } });
    expect(again.statusCode).toBe(304);
  });

  it('answers the script with JSON: the count, a refusal beside its field, and one application for a key sent twice', async () => {
    const sheet = await venue.manager.get(sheetUrl);
    const form = formsIn(sheet.body, `${sheetUrl}/count`).find((f) => f.fields.productId === made.kegA!.id)!;
    const post = (fields: Record<string, string>) =>
      venue.manager.request({
        method: 'POST',
        url: form.action,
        payload: new URLSearchParams(fields).toString(),
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      });
    const fields = { ...form.fields, idempotencyKey: 'c0ffee00-0000-4000-8000-000000000001', fullUnits: '3', partialTenths: '5' };
    const first = await post(fields);
    expect(first.statusCode).toBe(200);
    expect(first.json()).toEqual({ productId: made.kegA!.id, countedUnits: 3.5, counted: '3.5' });
    // The reply was lost; the script sends the same count with the same key: the first answer, nothing new applied.
    const again = await post(fields);
    expect(again.statusCode).toBe(200);
    expect(again.json()).toEqual(first.json());
    const id = sheetUrl.split('/').at(-1)!;
    const events = await venue.manager.get('/api/v1/events?type=stocktake.counted');
    const forKegA = events.json<{ items: Array<{ aggregateId: string; data: { productId: string } }> }>().items.filter((e) => e.aggregateId === id && e.data.productId === made.kegA!.id);
    expect(forKegA).toHaveLength(1);

    // A slip: 400 with the form's field named, so the script shows it beside that row's field.
    const slip = await post({ ...fields, idempotencyKey: 'c0ffee00-0000-4000-8000-000000000002', fullUnits: 'two' });
    expect(slip.statusCode).toBe(400);
    expect(slip.json()).toEqual({ error: { code: 'BB_VALIDATION', message: 'Full containers: enter a whole number.', field: 'fullUnits' } });
    // A product of no venue's: the worker's 404, as JSON.
    const unknown = await post({ ...fields, idempotencyKey: 'c0ffee00-0000-4000-8000-000000000003', productId: '00000000-0000-4000-8000-000000000000' });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json<{ error: { code: string } }>().error.code).toBe('BB_NOT_FOUND');
  });
});
