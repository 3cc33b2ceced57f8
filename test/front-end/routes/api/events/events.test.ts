import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { ChangeEvent } from '@barback/messaging';
import { httpBar, quickSale, type HttpBar } from '../../../../helpers/api.js';
import { registerOverHttp, type HttpVenue, type Sale } from '../../../../helpers/venue.js';
import { openSse } from '../../../../helpers/sse.js';
import { startFrontEnd } from '../../../../helpers/app.js';

interface Placed extends ChangeEvent {
  cursor: string;
}
interface Page {
  items: Placed[];
  nextCursor: string | null;
}

let bar: HttpBar;
let other: HttpVenue;
let baseUrl: string;

beforeAll(async () => {
  bar = await httpBar();
  other = await registerOverHttp(bar.frontEnd, 'events-b');
  baseUrl = await bar.frontEnd.app.listen({ port: 0, host: '127.0.0.1' });
});

afterAll(async () => {
  await bar.frontEnd.close();
  await bar.worker.stop();
});

/** The venue's events once the relay has placed everything up to `wanted` of them. */
async function eventsOf(venue: HttpVenue, query = '', wanted = 1): Promise<Page> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const res = await venue.manager.get(`/api/v1/events${query}`);
    expect(res.statusCode).toBe(200);
    const page = res.json<Page>();
    if (page.items.length >= wanted || Date.now() > deadline) return page;
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('listEvents', () => {
  let sale: Sale;
  let all: Page;

  beforeAll(async () => {
    sale = await quickSale(bar.a.manager, bar.aProduct);
    await cursorOf(bar.a, sale.id);
    all = await eventsOf(bar.a);
  });

  it('gives the venue its history oldest first, from registering to the sale', () => {
    const types = all.items.map((e) => e.type);
    expect(types[0]).toBe('venue.registered');
    expect(types).toContain('staff.created');
    expect(types).toContain('product.created');
    expect(types[types.length - 1]).toBe('sale.recorded');
    const recorded = all.items[all.items.length - 1]!;
    expect(recorded).toMatchObject({ aggregateType: 'sale', aggregateId: sale.id, venueId: bar.a.session.venue.id, version: 1 });
    expect(recorded.data).toEqual(sale);
    expect(all.nextCursor).toBe(recorded.cursor);
  });

  it('resumes after a cursor with what came later, and nothing before', async () => {
    const first = all.items[0]!;
    const page = await eventsOf(bar.a, `?after=${first.cursor}`);
    expect(page.items.map((e) => e.id)).toEqual(all.items.slice(1).map((e) => e.id));
    const atEnd = await bar.a.manager.get(`/api/v1/events?after=${all.nextCursor!}`);
    expect(atEnd.json<Page>()).toEqual({ items: [], nextCursor: all.nextCursor });
  });

  it('filters by type (repeatable) and by time, and pages by limit', async () => {
    const sales = await eventsOf(bar.a, '?type=sale.recorded');
    expect(sales.items.map((e) => e.type)).toEqual(['sale.recorded']);
    const two = await eventsOf(bar.a, '?type=sale.recorded&type=product.created', 2);
    expect(new Set(two.items.map((e) => e.type))).toEqual(new Set(['sale.recorded', 'product.created']));
    const future = await bar.a.manager.get('/api/v1/events?from=2099-01-01T00:00:00Z');
    expect(future.json<Page>().items).toEqual([]);
    const limited = await eventsOf(bar.a, '?limit=2', 2);
    expect(limited.items).toHaveLength(2);
    expect(limited.nextCursor).toBe(limited.items[1]!.cursor);
  });

  it('never shows another venue’s events, and takes none of its cursors', async () => {
    const theirs = await eventsOf(other);
    expect(theirs.items.length).toBeGreaterThan(0);
    expect(theirs.items.every((e) => e.venueId === other.session.venue.id)).toBe(true);
    expect(theirs.items.map((e) => e.id)).not.toContain(all.items[0]!.id);
  });

  it('is for managers: a bartender gets 403', async () => {
    const res = await bar.aBartender.get('/api/v1/events');
    expect(res.statusCode).toBe(403);
  });

  it('refuses a cursor it did not give out, and an unknown type, naming the field', async () => {
    const bad = await bar.a.manager.get('/api/v1/events?after=not-a-cursor');
    expect(bad.statusCode).toBe(400);
    expect(bad.json<{ error: { field?: string } }>().error.field).toBe('after');
    const type = await bar.a.manager.get('/api/v1/events?type=sale.eaten');
    expect(type.statusCode).toBe(400);
  });
});

/** The cursor of the event about `aggregateId`, once the relay has placed it: where a test's stream starts. */
async function cursorOf(venue: HttpVenue, aggregateId: string): Promise<string> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const page = (await venue.manager.get('/api/v1/events?limit=1000')).json<Page>();
    const found = page.items.find((e) => e.aggregateId === aggregateId);
    if (found) return found.cursor;
    if (Date.now() > deadline) throw new Error(`no event about ${aggregateId} after 10 s`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A sale rung now, and the cursor right after its event. */
async function freshStart(venue: HttpVenue): Promise<string> {
  return cursorOf(venue, (await quickSale(venue.manager, bar.aProduct)).id);
}

describe('streamEvents', () => {
  const cookieOf = (venue: HttpVenue) => ({ cookie: venue.manager.cookieHeader() });

  it('sends a sale as it is rung, with its cursor as the id, and resumes after Last-Event-ID with no gap and no repeat', async () => {
    const start = await freshStart(bar.a);
    const sse = await openSse(`${baseUrl}/api/v1/events/stream?after=${start}`, cookieOf(bar.a));
    expect(sse.status).toBe(200);
    const first = await quickSale(bar.a.manager, bar.aProduct);
    const [m1] = await sse.waitFor(1);
    expect(m1!.event).toBe('sale.recorded');
    const e1 = JSON.parse(m1!.data) as Placed;
    expect(e1.aggregateId).toBe(first.id);
    expect(m1!.id).toBe(e1.cursor);
    sse.close();

    // Missed while disconnected: two sales; the reconnect gets exactly those.
    const second = await quickSale(bar.a.manager, bar.aProduct);
    const third = await quickSale(bar.a.manager, bar.aProduct);
    const again = await openSse(`${baseUrl}/api/v1/events/stream`, { ...cookieOf(bar.a), 'last-event-id': m1!.id! });
    const got = await again.waitFor(2);
    expect(got.map((m) => (JSON.parse(m.data) as Placed).aggregateId)).toEqual([second.id, third.id]);
    await new Promise((r) => setTimeout(r, 500));
    expect(again.messages).toHaveLength(2);
    again.close();
  });

  it('ends its streams when its front end shuts down, and the browser resumes on another with no gap', async () => {
    const second = await startFrontEnd();
    const secondUrl = await second.app.listen({ port: 0, host: '127.0.0.1' });
    const start = await freshStart(bar.a);
    const sse = await openSse(`${secondUrl}/api/v1/events/stream?after=${start}`, cookieOf(bar.a));
    const before = await quickSale(bar.a.manager, bar.aProduct);
    const [m1] = await sse.waitFor(1);
    // A graceful shutdown does not wait for the open stream: it ends it.
    await second.close();
    await sse.ended;
    const during = await quickSale(bar.a.manager, bar.aProduct);
    const resumed = await openSse(`${baseUrl}/api/v1/events/stream`, { ...cookieOf(bar.a), 'last-event-id': m1!.id! });
    const [m2] = await resumed.waitFor(1);
    expect((JSON.parse(m1!.data) as Placed).aggregateId).toBe(before.id);
    expect((JSON.parse(m2!.data) as Placed).aggregateId).toBe(during.id);
    resumed.close();
  });

  it('shows a venue only its own events', async () => {
    const sse = await openSse(`${baseUrl}/api/v1/events/stream?after=${(await eventsOf(other)).nextCursor!}`, cookieOf(other));
    // Whatever of the venue's own history was not yet placed may still come; another venue's sale must not.
    const theirSale = await quickSale(bar.a.manager, bar.aProduct);
    await cursorOf(bar.a, theirSale.id);
    await new Promise((r) => setTimeout(r, 1000));
    const seen = sse.messages.map((m) => JSON.parse(m.data) as Placed);
    expect(seen.filter((e) => e.venueId !== other.session.venue.id)).toEqual([]);
    expect(seen.map((e) => e.aggregateId)).not.toContain(theirSale.id);
    sse.close();
  });

  it('answers a bartender with 403 in the JSON error shape, not a stream', async () => {
    const res = await fetch(`${baseUrl}/api/v1/events/stream`, { headers: { cookie: bar.aBartender.cookieHeader() } });
    expect(res.status).toBe(403);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBeTruthy();
  });
});
