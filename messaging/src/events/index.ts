import type { Static } from '@sinclair/typebox';
import { productEvents } from './product.js';
import { saleEvents } from './sale.js';
import { staffEvents } from './staff.js';
import { stockEvents } from './stock.js';
import { tabEvents } from './tab.js';
import { venueEvents } from './venue.js';
import { deliveryEvents } from './delivery.js';
import { wastageEvents } from './wastage.js';
import { stocktakeEvents } from './stocktake.js';
import { shiftEvents } from './shift.js';

export { defineEvent, envelopeOf, type EventDefinition } from './define.js';
export { emittedBy, type EmittedBy, type WriteActionName } from './emitted-by.js';

/**
 * Every event type the change stream carries: like `actions`, the one source
 * of truth, from which the AsyncAPI document (/api/asyncapi.json) and the
 * checks on what a handler emits are made.
 */
export const events = {
  ...venueEvents,
  ...staffEvents,
  ...productEvents,
  ...tabEvents,
  ...saleEvents,
  ...stockEvents,
  ...deliveryEvents,
  ...wastageEvents,
  ...stocktakeEvents,
  ...shiftEvents,
};

export type Events = typeof events;
export type EventType = keyof Events;
export type EventData<T extends EventType> = Static<Events[T]['data']>;

export function isEventType(name: unknown): name is EventType {
  return typeof name === 'string' && Object.hasOwn(events, name);
}

/** An event as it leaves the outbox: on the stream, from listEvents and over SSE. */
export interface ChangeEvent {
  id: string;
  type: EventType;
  venueId: string;
  occurredAt: string;
  aggregateType: string;
  aggregateId: string;
  version: number;
  data: unknown;
}
