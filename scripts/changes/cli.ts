/**
 * npm run changes -- [--from first|last|next|<ISO time>|<cursor>] [--type sale.recorded]... [--venue <id>]
 *
 * The reference consumer of the change stream (docs/changes.md): reads
 * barback.changes itself over AMQP, with a stream offset, and prints one
 * event a line as JSON ({offset, position, ...event}). Brokers from
 * AMQP_URLS, else those of the local stack (`npm run stack:up`).
 *
 * --from <cursor> (an event's cursor from listEvents or the SSE id) starts a
 * minute before that event's time (a stream seeks by time to the chunk) and
 * starts with the event after it. Each position is printed once, in order,
 * whatever duplicates the stream holds (ChangeReader).
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { ChangeReader, isEventType, type StreamOffset } from '@barback/messaging';
import { decodeCursor } from '../../back-end/src/domain/cursor.js';
import { defaultDataDir, stackPaths } from '../stack/paths.js';

function usage(message: string): never {
  process.stderr.write(`${message}\nusage: npm run changes -- [--from first|last|next|<ISO time>|<cursor>] [--type <event type>]... [--venue <id>]\n`);
  process.exit(2);
}

function brokerUrls(): string[] {
  const fromEnv = process.env.AMQP_URLS?.split(',').map((u) => u.trim()).filter(Boolean);
  if (fromEnv?.length) return fromEnv;
  try {
    const state = JSON.parse(readFileSync(stackPaths(defaultDataDir()).stateFile, 'utf8')) as { infra: { amqpUrls: string[] } };
    return state.infra.amqpUrls;
  } catch {
    return usage('no brokers: set AMQP_URLS, or start the local stack (npm run stack:up)');
  }
}

const { values } = parseArgs({
  options: { from: { type: 'string', default: 'first' }, type: { type: 'string', multiple: true }, venue: { type: 'string' } },
  strict: true,
});

for (const t of values.type ?? []) if (!isEventType(t)) usage(`unknown event type: ${t}`);
const types = values.type?.length ? new Set(values.type) : null;

let from: StreamOffset;
let afterPosition: bigint | null = null;
const given = values.from;
if (given === 'first' || given === 'last' || given === 'next') from = given;
else if (/^\d{4}-\d{2}-\d{2}T/.test(given) && !Number.isNaN(Date.parse(given))) from = new Date(given);
else {
  try {
    const key = decodeCursor('events', given, '--from');
    afterPosition = BigInt(key.id);
    from = new Date(Date.parse(key.at) - 60_000);
  } catch {
    usage(`--from must be first, last, next, an ISO time or an event's cursor; got ${given}`);
  }
}


const reader = new ChangeReader({
  urls: brokerUrls(),
  log: pino({ level: process.env.LOG_LEVEL ?? 'warn' }, pino.destination(2)),
  connectionName: `barback changes ${process.pid}`,
  from,
  // The reader hands each position on once, in order (ChangeReader): after the cursor's, when one was given.
  ...(afterPosition === null ? {} : { afterPosition: String(afterPosition) }),
  onMessage: ({ offset, position, event }) => {
    if (values.venue && event.venueId !== values.venue) return;
    if (types && !types.has(event.type)) return;
    process.stdout.write(`${JSON.stringify({ offset, position, ...event })}\n`);
  },
});
reader.start();
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => void reader.stop().then(() => process.exit(0)));
