import { EventEmitter } from 'node:events';
import { ChangeReader } from '@barback/messaging';
import fp from 'fastify-plugin';

/** What the SSE route listens to: told that a venue has new events, not what they are (those it reads in order with listEvents). */
export interface ChangeSignal {
  /** Calls `fn` whenever the stream carries an event of the venue; returns the unsubscribe. */
  onVenue(venueId: string, fn: () => void): () => void;
}

/**
 * One reader of the change stream per front-end process, from the next
 * message on: it only wakes the SSE connections of the venue an event
 * belongs to. What they send comes from listEvents after their own cursor,
 * so a wake-up lost with a broker node costs latency, never an event (each
 * connection also asks every few seconds on its own).
 */
export default fp(
  async (fastify) => {
    const emitter = new EventEmitter();
    emitter.setMaxListeners(0);
    const reader = new ChangeReader({
      urls: fastify.config.amqpUrls,
      log: fastify.log.child({ component: 'change-signal' }),
      connectionName: `front-end changes ${process.pid}`,
      from: 'next',
      onMessage: ({ event }) => {
        emitter.emit(event.venueId);
      },
      // Resubscribed after a broker loss: whatever came meanwhile is news to every connection.
      onSubscribed: () => {
        for (const name of emitter.eventNames()) emitter.emit(name);
      },
    });
    const signal: ChangeSignal = {
      onVenue(venueId, fn) {
        emitter.on(venueId, fn);
        return () => emitter.off(venueId, fn);
      },
    };
    fastify.decorate('changeSignal', signal);
    fastify.addHook('onReady', async () => reader.start());
    fastify.addHook('onClose', async () => reader.stop());
  },
  { name: 'change-signal' },
);
