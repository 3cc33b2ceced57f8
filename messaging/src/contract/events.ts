import { Type } from '@sinclair/typebox';
import { defineAction } from './define.js';
import { Instant, Nullable, Timestamp, Uuid } from './common.js';
import { events, type EventType } from '../events/index.js';

export const EVENTS_LIMIT_DEFAULT = 100;
export const EVENTS_LIMIT_MAX = 1000;

/** Where a reader of the venue's history stands: an event's cursor, or a reply's nextCursor. */
export const EventCursor = Type.String({
  minLength: 1,
  maxLength: 200,
  pattern: '^[A-Za-z0-9_-]+$',
  description: 'Opaque: an event’s cursor or a reply’s nextCursor. Reading resumes right after that event.',
});

export const EventTypeName = Type.Union(
  (Object.keys(events) as EventType[]).map((t) => Type.Literal(t)),
  { description: 'One of the event types in /api/asyncapi.json.' },
);

/** An event as listEvents and the SSE stream give it: the envelope (docs/changes.md) and where it stands. */
export const PlacedEvent = Type.Object({
  cursor: EventCursor,
  id: Uuid,
  type: Type.String(),
  venueId: Uuid,
  occurredAt: Timestamp,
  aggregateType: Type.String(),
  aggregateId: Type.String(),
  version: Type.Integer(),
  data: Type.Unknown({ description: 'As the event type’s schema in /api/asyncapi.json says.' }),
});

export const eventsActions = {
  /**
   * The caller's venue's events, oldest first. Read on the primary: a reader
   * woken by the stream asks at once for what the relay has just placed, and
   * a standby a few milliseconds behind would answer with nothing new.
   */
  'events.listEvents': defineAction({
    kind: 'read',
    consistency: 'primary',
    auth: 'session',
    role: 'manager',
    request: Type.Object(
      {
        after: Type.Optional(EventCursor),
        from: Type.Optional(Instant),
        type: Type.Optional(Type.Array(EventTypeName, { minItems: 1, maxItems: 50, uniqueItems: true })),
        limit: Type.Optional(
          Type.Integer({ minimum: 1, maximum: EVENTS_LIMIT_MAX, default: EVENTS_LIMIT_DEFAULT, description: `At most ${EVENTS_LIMIT_MAX}.` }),
        ),
      },
      { additionalProperties: false },
    ),
    reply: Type.Object({
      items: Type.Array(PlacedEvent),
      nextCursor: Nullable(EventCursor),
    }),
  }),
};
