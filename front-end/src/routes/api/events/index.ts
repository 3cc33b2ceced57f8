import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { RequestOf } from '@barback/messaging';
import type { FastifyPluginAsync } from 'fastify';
import { callOptions } from '../../../services/auth.js';
import { passJson } from '../../../services/calls.js';
import { listEventsSchema, streamEventsSchema } from './schemas.js';

/** Every connection asks on its own this often, so a wake-up lost with a broker node delays an event by this at most. */
const STREAM_POLL_MS = 3000;
/** An SSE comment this often: proxies and load balancers close a connection silent for a minute or so. */
const STREAM_KEEPALIVE_MS = 15_000;
/** Events per listEvents call while catching up on a long history. */
const STREAM_BATCH = 500;

const eventsApi: FastifyPluginAsync = async (fastify) => {
  const api = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const open = new Set<() => void>();
  // Open streams would hold a graceful shutdown for ever: end them, and their browsers reconnect to another front end.
  fastify.addHook('preClose', async () => {
    for (const end of open) end();
  });

  api.get('/events', { schema: listEventsSchema, preValidation: fastify.requireUser }, async (request, reply) =>
    passJson(reply, await fastify.rpc.callJson('events.listEvents', request.query, callOptions(request))),
  );

  api.get('/events/stream', { schema: streamEventsSchema, preValidation: fastify.requireUser }, async (request, reply) => {
    const user = request.session.get('user');
    if (!user) return reply; // requireUser answered already
    const query: RequestOf<'events.listEvents'> = { ...request.query, limit: STREAM_BATCH };
    const resumeFrom = request.headers['last-event-id'] ?? request.query.after;
    if (resumeFrom !== undefined) query.after = resumeFrom;
    // The first page before any header goes out: a refusal (not a manager, a bad cursor) is an ordinary JSON error.
    let page = await fastify.rpc.call('events.listEvents', query, callOptions(request));

    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      'x-accel-buffering': 'no',
      connection: 'keep-alive',
    });
    // Reconnect after a second: long enough not to hammer a restarting front end, short enough for a dashboard.
    res.write('retry: 1000\n\n');

    // One object, so the loop below sees what the callbacks change across its awaits.
    const state: { closed: boolean; woken: boolean; wake: (() => void) | null } = { closed: false, woken: false, wake: null };
    const nudge = () => {
      state.woken = true;
      state.wake?.();
    };
    const unsubscribe = fastify.changeSignal.onVenue(user.venueId, nudge);
    const keepAlive = setInterval(() => res.write(': keep-alive\n\n'), STREAM_KEEPALIVE_MS);
    const end = () => {
      if (state.closed) return;
      state.closed = true;
      clearInterval(keepAlive);
      unsubscribe();
      open.delete(end);
      nudge();
      res.end();
    };
    open.add(end);
    request.raw.on('close', end);

    try {
      for (;;) {
        for (const item of page.items) res.write(`id: ${item.cursor}\nevent: ${item.type}\ndata: ${JSON.stringify(item)}\n\n`);
        if (page.nextCursor) query.after = page.nextCursor;
        if (page.items.length < STREAM_BATCH) {
          // Caught up: wait for the stream to say the venue has news, or for the next poll.
          if (!state.woken) {
            await new Promise<void>((resolve) => {
              const timer = setTimeout(resolve, STREAM_POLL_MS);
              state.wake = () => {
                clearTimeout(timer);
                resolve();
              };
            });
          }
          state.wake = null;
          state.woken = false;
        }
        if (state.closed) break;
        page = await fastify.rpc.call('events.listEvents', query, callOptions(request));
      }
    } catch (err) {
      // Signed out, disabled, or no worker answering: the browser reconnects and starts again from its last id.
      request.log.info({ err: (err as Error).message }, 'event stream ended');
    } finally {
      end();
    }
    return reply;
  });
};

export default eventsApi;
