import { CHANGE_STREAM, POSITION_HEADER, VENUE_HEADER } from '../change-stream.js';
import { envelopeOf } from './define.js';
import { events, type EventType } from './index.js';

/** `sale.recorded` → `saleRecorded`: AsyncAPI's component keys allow no dots. */
function messageKey(type: string): string {
  return type.replace(/\.(\w)/g, (_m, c: string) => c.toUpperCase());
}

/** TypeBox schemas carry symbols for its own use; the document gets the plain JSON Schema. */
function plain(schema: unknown): unknown {
  return JSON.parse(JSON.stringify(schema)) as unknown;
}

/**
 * The change stream described for integrators (AsyncAPI 3.0), made from the
 * event definitions themselves so it cannot drift from what is emitted;
 * served at /api/asyncapi.json beside the OpenAPI document. One channel, the
 * stream, read over AMQP 0-9-1 with a stream offset, or over Server-Sent
 * Events from the JSON API, which carries the same envelope.
 */
export function asyncApiDocument(): Record<string, unknown> {
  const types = Object.keys(events) as EventType[];
  const messages = Object.fromEntries(
    types.map((type) => [
      messageKey(type),
      {
        name: type,
        title: type,
        summary: events[type].description,
        contentType: 'application/json',
        headers: {
          type: 'object',
          properties: {
            [POSITION_HEADER]: { type: 'string', description: 'The event’s place in the history: what listEvents’ cursors are made of.' },
            [VENUE_HEADER]: { type: 'string', format: 'uuid', description: 'The venue, to keep to one without parsing the body.' },
          },
        },
        payload: plain(envelopeOf(type, events[type])),
        bindings: { amqp: { messageType: type, bindingVersion: '0.3.0' } },
      },
    ]),
  );
  const channelMessages = Object.fromEntries(types.map((type) => [messageKey(type), { $ref: `#/components/messages/${messageKey(type)}` }]));
  return {
    asyncapi: '3.0.0',
    info: {
      title: 'Barback change stream',
      version: '1',
      description:
        'Every committed change of every venue, in commit order per venue, at least once: a duplicate delivery carries the ' +
        'same event id, so a consumer that remembers the ids it applied gets each event exactly once. An event’s `version` ' +
        'changes only with a new schema for its `data`. See docs/changes.md.',
    },
    defaultContentType: 'application/json',
    servers: {
      broker: {
        host: 'rabbitmq:5672',
        protocol: 'amqp',
        protocolVersion: '0.9.1',
        description: `The RabbitMQ cluster. Consume the stream queue with basic.qos set and the x-stream-offset argument (first, last, next, an offset or a time).`,
      },
      api: {
        host: 'localhost:3000',
        protocol: 'http',
        pathname: '/api/v1/events/stream',
        description: 'Server-Sent Events for a signed-in manager’s venue (operationId streamEvents); listEvents pages the same history.',
      },
    },
    channels: {
      changes: {
        address: CHANGE_STREAM,
        title: 'The change stream',
        description: 'A RabbitMQ stream (x-queue-type: stream), retained 30 days or 10 GB unless the operator says otherwise.',
        servers: [{ $ref: '#/servers/broker' }, { $ref: '#/servers/api' }],
        messages: channelMessages,
        bindings: {
          amqp: {
            is: 'queue',
            queue: { name: CHANGE_STREAM, durable: true, exclusive: false, autoDelete: false, vhost: '/' },
            bindingVersion: '0.3.0',
          },
        },
      },
    },
    operations: {
      receiveChanges: {
        action: 'receive',
        title: 'Read the changes',
        channel: { $ref: '#/channels/changes' },
        messages: types.map((type) => ({ $ref: `#/channels/changes/messages/${messageKey(type)}` })),
      },
    },
    components: { messages },
  };
}
