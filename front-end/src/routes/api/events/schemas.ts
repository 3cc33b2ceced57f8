import { eventsActions } from '@barback/messaging';
import { Type } from '@sinclair/typebox';
import { readSecurity, sessionErrors } from '../common.js';

const tags = ['events'];
const request = eventsActions['events.listEvents'].request;

/**
 * Query strings carry a repeated `type` as an array; one `type=sale.recorded`
 * arrives as a string, which the querystring's coercion (arrays only) turns
 * into a one-item array.
 */
export const listEventsSchema = {
  operationId: 'listEvents',
  tags,
  summary:
    'The venue’s events (managers), oldest first, from the outbox history the change stream is fed from. `after`: resume after ' +
    'that cursor (absent: from the start of retention); `from`: only events at or after that time; `type`: repeatable. Pass ' +
    'nextCursor back as `after` to read on; it stays put when nothing new has happened, so polling with it misses nothing.',
  security: readSecurity,
  querystring: request,
  response: { 200: eventsActions['events.listEvents'].reply, ...sessionErrors },
};

export const streamEventsSchema = {
  operationId: 'streamEvents',
  tags,
  summary:
    'The same events as Server-Sent Events, live: `id:` is the event’s cursor, `event:` its type, `data:` the event as JSON. ' +
    'A reconnecting EventSource sends Last-Event-ID and resumes right after it, with no gap and no repeat; `after` does the ' +
    'same for a first connection. A comment line every 15 s keeps proxies from closing an idle stream.',
  security: readSecurity,
  querystring: Type.Omit(request, ['limit']),
  headers: Type.Object({ 'last-event-id': Type.Optional(request.properties.after) }),
  response: {
    200: { description: 'text/event-stream', content: { 'text/event-stream': { schema: Type.String() } } },
    ...sessionErrors,
  },
};
