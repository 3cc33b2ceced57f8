/**
 * The dashboard page (/dashboard) and its panels fragment
 * (/dashboard/panels): for managers only, drawn on the server with the
 * day's numbers, the chart as an accessible SVG with its numbers as a table,
 * the feed in words, and wired to the change stream with no inline script or
 * style. The settings page sets when the business day starts.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { half, httpBar, pint, quickSale, openTabWithPint, type HttpBar } from '../../../../helpers/api.js';
import { waitForPublished } from '../../../../helpers/events.js';

let bar: HttpBar;

beforeAll(async () => {
  bar = await httpBar();
}, 60_000);
afterAll(async () => {
  await bar?.frontEnd.close();
  await bar?.worker.stop();
});

const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');

describe('/dashboard', () => {
  it('shows a manager the day’s takings, chart, open tabs, low stock and feed, live from the stream', async () => {
    const m = bar.a.manager;
    const product = bar.aProduct;
    await quickSale(m, product); // a half, €3.00 cash
    const card = await m.post('/api/v1/sales', { lines: [{ servingId: pint(product), quantity: 2 }], payments: [{ method: 'card', amountCents: 2 * product.servings[0]!.priceCents }] });
    expect(card.statusCode).toBe(201);
    await openTabWithPint(m, product, 'Table 9');
    await waitForPublished(await bar.worker.db.primary(), bar.a.session.venue.id);

    const res = await m.get('/dashboard');
    expect(res.statusCode).toBe(200);
    const html = res.body;
    const pintCents = product.servings[0]!.priceCents;
    const euro = (c: number) => `€${(c / 100).toFixed(2)}`;
    // Takings: €3.00 cash and two pints by card.
    expect(html).toMatch(new RegExp(`data-testid="takings-gross">${euro(300 + 2 * pintCents).replace('.', '\\.')}<`));
    expect(text(html)).toContain(`Card ${euro(2 * pintCents)}`);
    expect(text(html)).toContain('Cash €3.00');
    expect(text(html)).toContain('2 sales');
    // Open tabs: one, a pint on it.
    expect(html).toContain(`data-testid="open-tabs-value">${euro(pintCents)}<`);
    expect(text(html)).toContain('1 tab open');
    // The chart: an SVG image with a title, and the same numbers as a table.
    expect(html).toMatch(/<svg role="img" aria-labelledby="chart-title chart-desc"/);
    expect(html).toContain('<title id="chart-title">Sales per product today</title>');
    expect(text(html)).toContain(`${product.name}: 3 sold, ${euro(300 + 2 * pintCents)}`);
    expect(html).toContain('data-testid="chart-table"');
    // Low stock: the product has par 2 and no delivery yet.
    expect(html).toMatch(/data-testid="order-units">3</);
    // The feed in words, newest first: the pint on the tab, then the card sale.
    const feed = [...html.matchAll(/data-testid="feed-item" data-type="([^"]+)"[^>]*>\s*<time[^>]*>[^<]*<\/time> <span>([^<]*)<\/span>/g)].map((x) => [x[1], x[2]]);
    expect(feed[0]).toEqual(['tab.lineAdded', expect.stringContaining(`tab now ${euro(pintCents)}`)]);
    expect(feed).toContainEqual(['sale.recorded', `${product.name} (Pint) ×2 — ${euro(2 * pintCents)}, card`]);
    // Live: connected to the stream after the newest event drawn, re-fetching the panels on each event type.
    expect(html).toMatch(/hx-ext="sse" sse-connect="\/api\/v1\/events\/stream\?after=[A-Za-z0-9_-]+"/);
    expect(html).toMatch(/hx-get="\/dashboard\/panels" hx-trigger="[^"]*sse:sale\.recorded[^"]*sse:stock\.belowPar/);
    expect(html).toContain('<script src="/static/htmx-ext-sse.js" defer></script>');
    // CSP: no inline script or style on the page.
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(html).not.toMatch(/\sstyle=/);
    expect(html).not.toMatch(/<style/);
    // The header links to it, marked as the page open.
    expect(html).toContain('<a href="/dashboard" aria-current="page">Dashboard</a>');
  });

  it('answers the panels alone for htmx, with the new numbers', async () => {
    const m = bar.a.manager;
    const before = await m.get('/dashboard/panels');
    expect(before.statusCode).toBe(200);
    expect(before.body).not.toContain('<html');
    expect(before.body).toContain('data-testid="takings"');
    const sale = await m.post('/api/v1/sales', { lines: [{ servingId: half(bar.aProduct), quantity: 1 }], payments: [{ method: 'other', amountCents: 300 }] });
    expect(sale.statusCode).toBe(201);
    const after = await m.request({ method: 'GET', url: '/dashboard/panels', headers: { 'hx-request': 'true' } });
    expect(after.statusCode).toBe(200);
    expect(text(after.body)).toContain('Other €3.00');
  });

  it('serves htmx’s SSE extension as a static file', async () => {
    const res = await bar.a.manager.get('/static/htmx-ext-sse.js');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('javascript');
    expect(res.body).toContain('sse-connect');
  });

  it('is refused to a bartender, page and panels, and not in a bartender’s header', async () => {
    const page = await bar.aBartender.get('/dashboard');
    expect(page.statusCode).toBe(403);
    const panels = await bar.aBartender.get('/dashboard/panels');
    expect(panels.statusCode).toBe(403);
    const till = await bar.aBartender.get('/till');
    expect(till.body).not.toContain('href="/dashboard"');
  });

  it('sends someone not logged in to log in', async () => {
    const res = await bar.frontEnd.client().get('/dashboard');
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toMatch(/^\/login/);
  });
});

describe('/settings: the business day', () => {
  it('shows the start hour (06:00 by default) and saves a new one', async () => {
    const m = bar.a.manager;
    const page = await m.get('/settings');
    expect(page.body).toMatch(/<option value="6" selected>06:00 \(the default\)<\/option>/);
    const form = /name="idempotencyKey" value="([^"]+)"/.exec(page.body)![1]!;
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!;
    const saved = await m.request({
      method: 'POST',
      url: '/settings',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ _csrf: csrf, idempotencyKey: form, voiders: 'bartenders', dayStart: '5' }).toString(),
    });
    expect(saved.statusCode).toBe(303);
    expect((await m.get('/settings')).body).toMatch(/<option value="5" selected>05:00<\/option>/);
    expect((await m.get('/dashboard/panels')).body).toContain('since 05:00');

    const bad = await m.request({
      method: 'POST',
      url: '/settings',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ _csrf: csrf, idempotencyKey: form, voiders: 'bartenders', dayStart: '13' }).toString(),
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('data-testid="dayStart-error"');
  });
});
