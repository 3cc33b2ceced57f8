/**
 * Commit → stream and commit → SSE latency (issue 16): while the write
 * scenario rings up sales, a ChangeReader reads barback.changes from 'next'
 * and one manager's SSE connection reads /api/v1/events/stream; each notes
 * when every sale.recorded arrived. bench/load.ts notes when each sale's 201
 * came back (a sale commits just before its reply leaves the worker, so the
 * reply time stands for the commit time, a little late: a latency can come
 * out negative when the relay is quicker than the reply's way back). Both
 * clocks are this machine's wall clock at sub-millisecond precision.
 */
import { pino } from 'pino';
import { ChangeReader, type ChangeEvent } from '@barback/messaging';
import { round, summarise, type LatencySummary } from './stats.js';

const now = (): number => performance.timeOrigin + performance.now();

export interface ChangeLatencyFigure {
  concurrency: number;
  /** Sales answered 2xx in the measured phase. */
  sales: number;
  stream: LatencySummary & { matched: number };
  sse: LatencySummary & { matched: number };
}

/** The arrival time of every sale.recorded of one venue, on the stream and over SSE. */
export class ChangeWatch {
  readonly onStream = new Map<string, number>();
  readonly onSse = new Map<string, number>();
  private readonly reader: ChangeReader;
  private readonly abort = new AbortController();
  private sseDone: Promise<void> = Promise.resolve();

  constructor(
    private readonly opts: { amqpUrls: string[]; frontEndUrl: string; cookie: string; venueId: string },
  ) {
    this.reader = new ChangeReader({
      urls: opts.amqpUrls,
      log: pino({ level: 'silent' }),
      connectionName: 'bench change latency',
      from: 'next',
      onMessage: ({ event }) => {
        if (event.venueId === opts.venueId && event.type === 'sale.recorded' && !this.onStream.has(event.aggregateId)) {
          this.onStream.set(event.aggregateId, now());
        }
      },
    });
  }

  /** Starts both readers; resolves once the SSE connection answered 200 (and the reader has had a moment to subscribe). */
  async start(): Promise<void> {
    this.reader.start();
    const res = await fetch(`${this.opts.frontEndUrl}/api/v1/events/stream?type=sale.recorded`, {
      headers: { accept: 'text/event-stream', cookie: this.opts.cookie },
      signal: this.abort.signal,
    });
    if (!res.ok || !res.body) throw new Error(`GET /api/v1/events/stream answered ${res.status}`);
    const body = res.body;
    this.sseDone = this.readSse(body);
    // 'next' means from the subscription on: give it time to be in place before the first sale.
    await new Promise((r) => setTimeout(r, 1000));
  }

  private async readSse(body: ReadableStream<Uint8Array>): Promise<void> {
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
        const at = now();
        buffer += decoder.decode(chunk, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const data = block
            .split('\n')
            .filter((l) => l.startsWith('data: '))
            .map((l) => l.slice(6))
            .join('\n');
          if (!data) continue;
          try {
            const event = JSON.parse(data) as ChangeEvent;
            if (event.type === 'sale.recorded' && !this.onSse.has(event.aggregateId)) this.onSse.set(event.aggregateId, at);
          } catch {
            // Not an event (a comment or a partial line): nothing to time.
          }
        }
      }
    } catch {
      // Aborted by stop().
    }
  }

  /** Waits until every sale in `replies` has arrived on both, or `graceMs` passed, then measures. */
  async figure(concurrency: number, replies: [string, number][], graceMs = 5000): Promise<ChangeLatencyFigure> {
    const deadline = Date.now() + graceMs;
    while (Date.now() < deadline && replies.some(([id]) => !this.onStream.has(id) || !this.onSse.has(id))) {
      await new Promise((r) => setTimeout(r, 100));
    }
    const measure = (arrivals: Map<string, number>): LatencySummary & { matched: number } => {
      const latencies: number[] = [];
      for (const [id, repliedAt] of replies) {
        const at = arrivals.get(id);
        if (at !== undefined) latencies.push(round(at - repliedAt, 3));
      }
      return { ...summarise(latencies), matched: latencies.length };
    };
    return { concurrency, sales: replies.length, stream: measure(this.onStream), sse: measure(this.onSse) };
  }

  async stop(): Promise<void> {
    this.abort.abort();
    await this.reader.stop();
    await this.sseDone;
  }
}
