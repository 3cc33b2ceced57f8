/**
 * What one write put in the outbox, for the per-area event tests
 * (test/back-end/handlers/<area>/<area>-events.test.ts): the venue's events
 * before and after the write, read on the primary, and the envelope every
 * event must carry.
 */
import type pg from 'pg';
import { expect } from '@jest/globals';
import type { EventType } from '@barback/messaging';
import { venueOutbox, type StoredEvent } from './events.js';

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** What the stock fold emits follows stock levels, not any one write: left out of what a write emitted. */
const ownEvents = (events: StoredEvent[]) => events.filter((e) => !e.type.startsWith('stock.'));

export interface Emitted<T> {
  result: T;
  events: StoredEvent[];
  /** The database-free clock around the write, for occurredAt. */
  startedAt: number;
  endedAt: number;
}

/**
 * Runs `write` (which may be a refusal awaited with `refusal()`) and answers
 * the venue's events it added, in the order they were emitted. A venue's
 * events come only from its own writes, and a test awaits each write, so the
 * events that appear meanwhile are this write's.
 */
export async function emittedDuring<T>(primary: pg.Pool, venueId: string, write: () => Promise<T>): Promise<Emitted<T>> {
  const before = new Set(ownEvents(await venueOutbox(primary, venueId)).map((e) => e.id));
  const startedAt = Date.now();
  const result = await write();
  const endedAt = Date.now();
  const events = ownEvents(await venueOutbox(primary, venueId)).filter((e) => !before.has(e.id));
  return { result, events, startedAt, endedAt };
}

/**
 * Checks an event's envelope field by field: a UUID v7 id, the type, venue
 * and aggregate, version 1, and an occurredAt within the write (the
 * transaction's start; a second's slack for the two clocks), then answers
 * its data for the caller to compare with the reply.
 */
export function envelope(
  emitted: Emitted<unknown>,
  event: StoredEvent | undefined,
  expected: { type: EventType; venueId: string; aggregateType: string; aggregateId: string },
): unknown {
  if (!event) throw new Error(`no ${expected.type} event; the write emitted ${JSON.stringify(emitted.events.map((e) => e.type))}`);
  expect(event.id).toMatch(UUID_V7);
  expect({
    type: event.type,
    venueId: event.venueId,
    aggregateType: event.aggregateType,
    aggregateId: event.aggregateId,
    version: event.version,
  }).toEqual({ ...expected, version: 1 });
  const at = Date.parse(event.occurredAt);
  expect(at).toBeGreaterThanOrEqual(emitted.startedAt - 1000);
  expect(at).toBeLessThanOrEqual(emitted.endedAt + 1000);
  // Never a secret: an argon2 hash (password, PIN) has this prefix wherever it sits.
  expect(JSON.stringify(event)).not.toContain('$argon2');
  return event.data;
}

/** The one event a write emitted, with its envelope checked; fails if it emitted any other. */
export function onlyEvent(
  emitted: Emitted<unknown>,
  expected: { type: EventType; venueId: string; aggregateType: string; aggregateId: string },
): unknown {
  expect(emitted.events.map((e) => e.type)).toEqual([expected.type]);
  return envelope(emitted, emitted.events[0], expected);
}
