import amqplib from 'amqplib';
import type { Channel, ChannelModel, ConfirmChannel, ConsumeMessage } from 'amqplib';
import type { ChangeEvent } from './events/index.js';
import type { Log as Logger } from './log.js';
import { redact } from './broker.js';

/**
 * The change stream: every committed event, in the order the relay
 * (back-end/src/outbox/relay.ts) published it, kept for the retention below
 * whether anyone has read it or not. A RabbitMQ stream (not a queue): each
 * reader keeps its own offset and can start again from any point.
 */
export const CHANGE_STREAM = 'barback.changes';
/** The position the outbox gave the event: listEvents' cursor and the SSE id are made from it. */
export const POSITION_HEADER = 'x-barback-position';
/** The venue, so a reader of the whole stream can keep to one without parsing the body. */
export const VENUE_HEADER = 'x-barback-venue';

export interface StreamRetention {
  /** RabbitMQ's duration form: `30D`, `12h`. */
  maxAge: string;
  maxBytes: number;
}

export const DEFAULT_RETENTION: StreamRetention = { maxAge: '30D', maxBytes: 10_000_000_000 };

/**
 * Declared only by the relay, with the operator's retention: a re-declaration
 * with other arguments is refused by the broker, so readers check for it
 * passively instead of declaring it with their own idea of them.
 */
export function streamArguments(retention: StreamRetention): Record<string, unknown> {
  return {
    'x-queue-type': 'stream',
    'x-max-age': retention.maxAge,
    'x-max-length-bytes': retention.maxBytes,
    // Retention drops whole segments: 100 MB ones leave at most that much over the limit.
    'x-stream-max-segment-size-bytes': 100_000_000,
  };
}

/** How long a batch may wait for the broker's confirms before the relay gives it up and tries again. */
const CONFIRM_TIMEOUT_MS = 10_000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function connectAny(urls: string[], name: string, log: Logger): Promise<ChannelModel> {
  let last: unknown;
  for (const url of urls) {
    try {
      return await amqplib.connect(url, { clientProperties: { connection_name: name }, noDelay: true });
    } catch (err) {
      last = err;
      log.warn({ err: (err as Error).message, broker: redact(url) }, 'change stream: broker connection attempt failed');
    }
  }
  throw last instanceof Error ? last : new Error('no broker URL');
}

/** An event and where it stands: its outbox position, and its offset in the stream when it came from there. */
export interface PositionedEvent {
  position: string;
  event: ChangeEvent;
}

/**
 * Publishes to the stream with publisher confirms, one batch at a time: a
 * batch resolves only when the broker has confirmed every message in it, so
 * the relay marks an event published only once it is in the stream. On any
 * failure the connection is dropped and the next batch opens a new one (on
 * the next node that answers); the messages of a failed batch that did reach
 * the stream are a prefix of it (one channel keeps their order), so sending
 * the batch again duplicates that prefix, in order, under the same ids.
 */
export class ChangePublisher {
  private connection: ChannelModel | null = null;
  private channel: ConfirmChannel | null = null;

  constructor(
    private readonly options: { urls: string[]; log: Logger; retention: StreamRetention; connectionName: string },
  ) {}

  private async open(): Promise<ConfirmChannel> {
    if (this.channel) return this.channel;
    const connection = await connectAny(this.options.urls, this.options.connectionName, this.options.log);
    connection.on('error', () => undefined);
    connection.on('close', () => {
      if (this.connection === connection) this.drop();
    });
    try {
      const channel = await connection.createConfirmChannel();
      channel.on('error', () => undefined);
      channel.on('close', () => {
        if (this.channel === channel) this.drop();
      });
      await channel.assertQueue(CHANGE_STREAM, { durable: true, arguments: streamArguments(this.options.retention) });
      this.connection = connection;
      this.channel = channel;
      return channel;
    } catch (err) {
      await connection.close().catch(() => undefined);
      throw err;
    }
  }

  private drop(): void {
    const connection = this.connection;
    this.connection = null;
    this.channel = null;
    connection?.close().catch(() => undefined);
  }

  /** Declares the stream (with this relay's retention) without publishing: readers wait for it to exist. */
  async ensureStream(): Promise<void> {
    try {
      await this.open();
    } catch (err) {
      this.drop();
      throw err;
    }
  }

  async publish(batch: readonly PositionedEvent[]): Promise<void> {
    if (batch.length === 0) return;
    try {
      const channel = await this.open();
      for (const { position, event } of batch) {
        channel.sendToQueue(CHANGE_STREAM, Buffer.from(JSON.stringify(event)), {
          persistent: true,
          contentType: 'application/json',
          messageId: event.id,
          type: event.type,
          timestamp: Math.floor(Date.parse(event.occurredAt) / 1000),
          headers: { [POSITION_HEADER]: position, [VENUE_HEADER]: event.venueId },
        });
      }
      // A broker that stops confirming (a memory or disk alarm blocks publishers)
      // must not hold the relay for ever: give up the batch, and the next round
      // sends it again on a fresh connection.
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        channel.waitForConfirms(),
        new Promise((_resolve, reject) => {
          timer = setTimeout(() => reject(new Error(`no publisher confirm within ${CONFIRM_TIMEOUT_MS} ms`)), CONFIRM_TIMEOUT_MS);
        }),
      ]).finally(() => clearTimeout(timer));
    } catch (err) {
      this.drop();
      throw err;
    }
  }

  async close(): Promise<void> {
    const connection = this.connection;
    this.connection = null;
    this.channel = null;
    await connection?.close().catch(() => undefined);
  }
}

/** Where a reader starts: RabbitMQ's `x-stream-offset` (first, last, next, an offset, or a time). */
export type StreamOffset = 'first' | 'last' | 'next' | number | Date;

export interface StreamMessage extends PositionedEvent {
  /** The message's offset in the stream. */
  offset: number;
}

/**
 * How long a reader holds events back waiting for a missing position before
 * it gives up on it and moves on (logged): only retention, or a start in the
 * middle of a late duplicate, can leave one missing for good.
 */
const GAP_WAIT_MS = 10_000;

/**
 * Reads the stream from `from` for as long as it runs, across the loss of a
 * broker node (it reconnects to the next node that answers and resumes after
 * the last offset it received), and hands on each event **once, in position
 * order**.
 *
 * Why not simply in stream order: the relay publishes in position order,
 * but a relay SIGKILLed mid-batch can leave messages in flight that the
 * broker writes after its successor's first ones (late duplicates), and the
 * chaos test (test/back-end/outbox/relay-failover) once found the stream out
 * of order (the relay sorted positions as text, '101' before '72'; fixed).
 * Positions are gapless (the relay gives them one after another and
 * publishes every one), so ordering by them costs a reader little and makes
 * its delivery exact whatever the stream holds: a position already handed on
 * is a duplicate and dropped; one ahead of the next expected is held until
 * the gap fills.
 *
 * `afterPosition` (a consumer's own stored cursor) makes the start exact:
 * nothing at or before it is handed on, and the next one is the one after it.
 * Without it, the first message read sets where the sequence starts.
 */
export class ChangeReader {
  private connection: ChannelModel | null = null;
  private stopped = false;
  private lastOffset: number | null = null;
  private running: Promise<void> | null = null;
  /** The position to hand on next; null until the first message (or afterPosition) says. */
  private next: bigint | null = null;
  /** Messages read ahead of a missing position, by position. */
  private readonly held = new Map<bigint, StreamMessage>();
  private gapSince: number | null = null;
  private gapTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly options: {
      urls: string[];
      log: Logger;
      connectionName: string;
      from: StreamOffset;
      /** Hand on only events placed after this position (a consumer's own last one). */
      afterPosition?: string;
      onMessage: (message: StreamMessage) => void | Promise<void>;
      /** Told each time it is (re)subscribed, so a caller can catch up on what it may have missed. */
      onSubscribed?: () => void;
    },
  ) {}

  start(): void {
    if (this.options.afterPosition !== undefined) this.next = BigInt(this.options.afterPosition) + 1n;
    this.running ??= this.loop();
  }

  /** A method, not the field, so the loop reads it afresh after each await. */
  private isStopped(): boolean {
    return this.stopped;
  }

  private async loop(): Promise<void> {
    for (let attempt = 0; !this.isStopped(); attempt += 1) {
      try {
        await this.readOnce();
        attempt = 0;
      } catch (err) {
        if (this.isStopped()) return;
        const message = (err as Error).message;
        // Before any relay has run (a fresh cluster) the stream does not exist yet: expected, not a fault.
        if (message.includes('NOT_FOUND')) this.options.log.info('change stream not declared yet; waiting for a relay');
        else this.options.log.warn({ err: message }, 'change stream reader lost its broker; reconnecting');
      }
      if (!this.isStopped()) await sleep(Math.min(250 * 2 ** Math.min(attempt, 4), 4000));
    }
  }

  private async readOnce(): Promise<void> {
    const connection = await connectAny(this.options.urls, this.options.connectionName, this.options.log);
    this.connection = connection;
    const closed = new Promise<void>((resolve) => connection.on('close', () => resolve()));
    connection.on('error', () => undefined);
    try {
      const channel: Channel = await connection.createChannel();
      channel.on('error', () => undefined);
      await channel.checkQueue(CHANGE_STREAM);
      // A stream consumer must have a prefetch; 500 keeps a replay from the start quick.
      await channel.prefetch(500);
      const start = this.lastOffset === null ? this.options.from : this.lastOffset + 1;
      // A time goes as an AMQP timestamp in seconds: amqplib would write a Date as a field table, which the broker refuses.
      const from = start instanceof Date ? { '!': 'timestamp', value: Math.floor(start.getTime() / 1000) } : start;
      await channel.consume(
        CHANGE_STREAM,
        (msg: ConsumeMessage | null) => {
          if (!msg) return;
          void this.handle(channel, msg);
        },
        { noAck: false, arguments: { 'x-stream-offset': from } },
      );
      this.options.onSubscribed?.();
      await closed;
    } finally {
      if (this.connection === connection) this.connection = null;
      await connection.close().catch(() => undefined);
    }
  }

  private chain: Promise<void> = Promise.resolve();

  /** In order, one at a time: the acknowledgement only moves the credit window on a stream. */
  private handle(channel: Channel, msg: ConsumeMessage): Promise<void> {
    this.chain = this.chain.then(async () => {
      const headers = msg.properties.headers ?? {};
      const offset = Number(headers['x-stream-offset']);
      try {
        const event = JSON.parse(msg.content.toString('utf8')) as ChangeEvent;
        const position = String(headers[POSITION_HEADER] as unknown);
        await this.order({ offset, position, event });
      } catch (err) {
        this.options.log.warn({ err: (err as Error).message, offset }, 'change stream message not handled; skipped');
      }
      this.lastOffset = offset;
      try {
        channel.ack(msg);
      } catch {
        // The channel went with its connection; the reader resumes after lastOffset.
      }
    });
    return this.chain;
  }

  private async order(message: StreamMessage): Promise<void> {
    const position = BigInt(message.position);
    this.next ??= position;
    if (position < this.next || this.held.has(position)) return; // a duplicate
    if (position > this.next) {
      this.held.set(position, message);
      await this.watchGap();
      return;
    }
    await this.handOn(message);
    await this.drain();
  }

  private async handOn(message: StreamMessage): Promise<void> {
    this.next = BigInt(message.position) + 1n;
    await this.options.onMessage(message);
  }

  /** Hands on what was held, as far as it runs without a gap. */
  private async drain(): Promise<void> {
    for (let m = this.next === null ? undefined : this.held.get(this.next); m; m = this.next === null ? undefined : this.held.get(this.next)) {
      this.held.delete(BigInt(m.position));
      await this.handOn(m);
    }
    if (this.held.size === 0) {
      this.gapSince = null;
      if (this.gapTimer) clearTimeout(this.gapTimer);
      this.gapTimer = null;
    }
  }

  private async watchGap(): Promise<void> {
    this.gapSince ??= Date.now();
    if (Date.now() - this.gapSince >= GAP_WAIT_MS) {
      await this.skipGap();
      return;
    }
    this.gapTimer ??= setTimeout(() => {
      this.gapTimer = null;
      this.chain = this.chain.then(() => (this.held.size > 0 ? this.skipGap() : undefined));
    }, GAP_WAIT_MS);
    this.gapTimer.unref();
  }

  private skipGap(): Promise<void> {
    const lowest = [...this.held.keys()].reduce((a, b) => (a < b ? a : b));
    this.options.log.warn({ missingFrom: String(this.next), resumingAt: String(lowest) }, 'change stream: positions missing for too long; moving on');
    this.next = lowest;
    this.gapSince = null;
    return this.drain();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.gapTimer) clearTimeout(this.gapTimer);
    await this.connection?.close().catch(() => undefined);
    await this.running;
  }
}
