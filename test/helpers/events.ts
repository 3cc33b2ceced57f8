/**
 * The outbox as the tests see it: the events a venue's writes emitted, read
 * straight from the primary (what was committed, before any relay), and a
 * wait for the relay to have placed and published them.
 */
import type pg from 'pg';
import type { ChangeEvent } from '@barback/messaging';

export interface StoredEvent extends ChangeEvent {
  position: string | null;
  published: boolean;
}

/** Every event of the venue, in the order they were emitted. */
export async function venueOutbox(primary: pg.Pool, venueId: string): Promise<StoredEvent[]> {
  const { rows } = await primary.query<{
    id: string; type: ChangeEvent['type']; venue_id: string; occurred_at: Date; aggregate_type: string; aggregate_id: string;
    version: number; data: unknown; position: string | null; published: boolean;
  }>(
    `SELECT id::text, type, venue_id::text, occurred_at, aggregate_type, aggregate_id, version, data,
            position::text, published_at IS NOT NULL AS published
       FROM outbox WHERE venue_id = $1 ORDER BY seq`,
    [venueId],
  );
  return rows.map((r) => ({
    id: r.id, type: r.type, venueId: r.venue_id, occurredAt: r.occurred_at.toISOString(), aggregateType: r.aggregate_type,
    aggregateId: r.aggregate_id, version: r.version, data: r.data, position: r.position, published: r.published,
  }));
}

/** The venue's events of one type, emitted after `sinceCount` events of the venue (or all). */
export async function eventsOfType(primary: pg.Pool, venueId: string, type: ChangeEvent['type']): Promise<StoredEvent[]> {
  return (await venueOutbox(primary, venueId)).filter((e) => e.type === type);
}

/** Waits until every event of the venue is published (the relay runs in the test's workers), up to `timeoutMs`. */
export async function waitForPublished(primary: pg.Pool, venueId: string, timeoutMs = 10_000): Promise<StoredEvent[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const all = await venueOutbox(primary, venueId);
    if (all.every((e) => e.published)) return all;
    if (Date.now() > deadline) throw new Error(`${all.filter((e) => !e.published).length} of ${all.length} events still unpublished after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
