/**
 * The load generator: one autocannon run in a process of its own, so that the
 * load it makes is not measured against the orchestrator's own event loop.
 *
 *   node --import tsx bench/load.ts <spec.json>
 *
 * Reads a LoadSpec, drives 127.0.0.1 only, for a bounded time, and prints one
 * line of JSON (a LoadOutcome) on stdout. Latencies are kept at full
 * (sub-millisecond) precision for the 2xx responses and summarised by
 * bench/lib/stats.ts.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import autocannon, { type RequestParams } from 'autocannon';
import { summarise, type LoadOutcome } from './lib/stats.js';
import { saleBody, type LoadSpec } from './lib/load-spec.js';

function assertLoopback(url: string): void {
  const host = new URL(url).hostname;
  if (!(host === 'localhost' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host))) {
    throw new Error(`the benchmark only sends traffic to this machine's loopback, not to ${host}`);
  }
}

function pick<T>(items: readonly T[], i: number): T {
  const item = items[i % items.length];
  if (item === undefined) throw new Error('empty list');
  return item;
}

function setupFor(spec: LoadSpec): (req: RequestParams) => RequestParams {
  let n = 0;
  switch (spec.kind) {
    case 'get':
      return (req) => req;
    case 'sale': {
      const servings = spec.servings ?? [];
      if (servings.length < 3) throw new Error('a sale needs at least 3 servings');
      return (req) => ({
        ...req,
        body: JSON.stringify(saleBody(servings, spec.linesPerSale ?? 3, Math.random, spec.popularServing)),
        headers: { ...req.headers, 'idempotency-key': randomUUID() },
      });
    }
    case 'login': {
      const logins = spec.logins ?? [];
      if (!logins.length) throw new Error('no credentials to log in with');
      return (req) => ({ ...req, body: JSON.stringify(pick(logins, n++)) });
    }
  }
}

async function main(): Promise<void> {
  const file = process.argv[2];
  if (!file) throw new Error('usage: load.ts <spec.json>');
  const spec = JSON.parse(readFileSync(file, 'utf8')) as LoadSpec;
  assertLoopback(spec.url);
  if (!(spec.durationS > 0 && spec.durationS <= 120)) throw new Error(`duration must be from 1 to 120 s, got ${spec.durationS}`);
  if (!(spec.connections >= 1 && spec.connections <= 256)) throw new Error(`connections must be from 1 to 256`);

  const latencies: number[] = [];
  const statusCodes: Record<string, number> = {};
  let ok = 0;
  let non2xx = 0;
  const setup = setupFor(spec);
  // Replies timed on the same clock as the stream reader's (bench/lib/change-latency.ts): epoch ms, sub-millisecond.
  const replies: [string, number][] = [];
  const measuredFrom = performance.timeOrigin + performance.now() + spec.warmupS * 1000;
  const onResponse = spec.salesOut
    ? (status: number, body: string) => {
        const at = performance.timeOrigin + performance.now();
        if (status < 200 || status >= 300 || at < measuredFrom) return;
        try {
          const id = (JSON.parse(body) as { id?: unknown }).id;
          if (typeof id === 'string') replies.push([id, at]);
        } catch {
          // Not JSON: not a sale, nothing to match.
        }
      }
    : undefined;
  const instance = autocannon({
    url: spec.url,
    connections: spec.connections,
    duration: spec.durationS,
    timeout: spec.timeoutS,
    ...(spec.warmupS > 0 ? { warmup: { connections: spec.connections, duration: spec.warmupS } } : {}),
    requests: [
      {
        method: spec.method,
        path: spec.path,
        headers: { ...(spec.method === 'POST' ? { 'content-type': 'application/json' } : {}), ...spec.headers },
        setupRequest: (req) => setup(req),
        ...(onResponse ? { onResponse } : {}),
      },
    ],
  });
  // Only the measured phase: the warm-up runs on a tracker of its own.
  instance.on('response', (_client: unknown, statusCode: number, _bytes: number, responseTime: number) => {
    statusCodes[statusCode] = (statusCodes[statusCode] ?? 0) + 1;
    if (statusCode >= 200 && statusCode < 300) {
      ok += 1;
      latencies.push(responseTime);
    } else {
      non2xx += 1;
    }
  });
  const stopAll = (): void => instance.stop();
  process.once('SIGTERM', stopAll);
  process.once('SIGINT', stopAll);
  const result = await instance;
  if (spec.salesOut) writeFileSync(spec.salesOut, JSON.stringify(replies));
  const outcome: LoadOutcome = {
    durationS: result.duration,
    ok,
    non2xx,
    socketErrors: result.errors,
    timeouts: result.timeouts,
    statusCodes,
    latency: summarise(latencies),
    warmupRequests: result.warmup?.requests.total ?? 0,
    cpuMs: Math.round((process.cpuUsage().user + process.cpuUsage().system) / 1000),
  };
  process.stdout.write(JSON.stringify(outcome) + '\n');
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`load: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
    process.exit(1);
  },
);
