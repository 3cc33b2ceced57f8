import { emittedBy, events, validateEventData, type EventData, type EventType, type WriteActionName } from '@barback/messaging';
import { newRowId } from '../domain/ids.js';
import type { PendingEvent } from '../queries/outbox.js';

/** What a handler says of one event; the envelope's other fields are filled in here. */
export interface EmittedEvent<T extends EventType> {
  aggregateId: string;
  data: EventData<T>;
  /** Only for a write without a signed-in caller (registering, signing in); otherwise the caller's venue. */
  venueId?: string;
}

export type Emit<T extends EventType = EventType> = <E extends T>(type: E, event: EmittedEvent<E>) => void;

/**
 * Collects a write's events while its handler runs; dispatch inserts them
 * with the COMMIT (runWrite), so they commit or roll back with the write.
 * An event the action does not declare (emittedBy) or whose data breaks its
 * schema is a bug: it throws, and the write rolls back rather than put
 * something on the stream that its consumers were not promised.
 */
export class EventCollector {
  readonly pending: PendingEvent[] = [];

  constructor(
    private readonly action: WriteActionName,
    private readonly callerVenueId: string | null,
  ) {}

  readonly emit: Emit = (type, event) => {
    const declared: readonly EventType[] = emittedBy[this.action];
    if (!declared.includes(type)) throw new Error(`${this.action} emitted ${type}, which it does not declare (messaging/src/events/emitted-by.ts)`);
    const problem = validateEventData(type, event.data);
    if (problem) throw new Error(`${type} data breaks its schema at ${problem.field || '/'}: ${problem.message}`);
    const venueId = event.venueId ?? this.callerVenueId;
    if (!venueId) throw new Error(`${type} emitted without a venue`);
    this.pending.push({
      id: newRowId(),
      type,
      venueId,
      aggregateType: events[type].aggregateType,
      aggregateId: event.aggregateId,
      version: events[type].version,
      data: event.data,
    });
  };
}
