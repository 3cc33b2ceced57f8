/**
 * Pure result shaping for the benchmark: percentiles over the latencies the
 * load generator saw, and one scenario's row of bench/results/latest.json.
 * No I/O here, so the unit tests cover it without any service.
 */

export interface LatencySummary {
  count: number;
  p50Ms: number | null;
  p99Ms: number | null;
  maxMs: number | null;
  meanMs: number | null;
}

/** Nearest-rank percentile of an ascending array; null when it is empty. */
export function percentile(sortedAsc: ArrayLike<number>, p: number): number | null {
  const n = sortedAsc.length;
  if (n === 0) return null;
  if (!(p >= 0 && p <= 100)) throw new RangeError(`percentile must be from 0 to 100, got ${p}`);
  const rank = Math.max(1, Math.ceil((p / 100) * n));
  return sortedAsc[Math.min(n, rank) - 1] ?? null;
}

/** Rounds to `digits` decimals (keeps JSON and tables readable). */
export function round(value: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

export function summarise(latenciesMs: ArrayLike<number>): LatencySummary {
  const sorted = Float64Array.from(latenciesMs).sort();
  const n = sorted.length;
  if (n === 0) return { count: 0, p50Ms: null, p99Ms: null, maxMs: null, meanMs: null };
  let sum = 0;
  for (const v of sorted) sum += v;
  // Never null here (n > 0); the type does not know it.
  const rounded = (v: number | null | undefined): number | null => (v === null || v === undefined ? null : round(v));
  return {
    count: n,
    p50Ms: rounded(percentile(sorted, 50)),
    p99Ms: rounded(percentile(sorted, 99)),
    maxMs: rounded(sorted[n - 1]),
    meanMs: round(sum / n),
  };
}

/** What the load generator (bench/load.ts) reports for one run. */
export interface LoadOutcome {
  /** Seconds the measured phase lasted (warm-up excluded). */
  durationS: number;
  /** Responses with a 2xx status. */
  ok: number;
  non2xx: number;
  /** Connection errors and timeouts (timeouts are also counted in `timeouts`). */
  socketErrors: number;
  timeouts: number;
  /** Count per status code, e.g. {"200": 1234, "503": 2}. */
  statusCodes: Record<string, number>;
  /** Latency of the 2xx responses. */
  latency: LatencySummary;
  /** Responses during the warm-up (not in the figures above; used to share out CPU time). */
  warmupRequests?: number;
  /** CPU time the load generator itself used (ms). */
  cpuMs?: number;
}

/** One row of the results: the fields the issue names, plus the detail behind `errors`. */
export interface ScenarioResult {
  name: string;
  concurrency: number;
  /** Workers consuming the request queue; null for the direct baseline (no broker, no workers). */
  workers: number | null;
  /** Successful (2xx) requests per second. */
  rps: number;
  p50Ms: number | null;
  p99Ms: number | null;
  maxMs: number | null;
  /** Everything that was not a 2xx answer: non-2xx responses + connection errors + timeouts. */
  errors: number;
  non2xx: number;
  socketErrors: number;
  timeouts: number;
  requests: number;
  durationS: number;
  statusCodes: Record<string, number>;
  /** Peak RSS of the front end during the run (null when no front end served it). */
  frontEndRssMb: number | null;
  /** Peak RSS of each worker during the run, in worker order. */
  workerRssMb: number[];
  /** Peak RSS of the direct baseline server (direct scenarios only). */
  directRssMb?: number | null;
  /**
   * CPU milliseconds per request (warm-up included) spent by each part: front
   * end, workers, RabbitMQ, PostgreSQL, the direct server, the load generator.
   */
  cpuMsPerRequest?: Record<string, number>;
  /** Deadlocks PostgreSQL detected during the run (each one stalls its victim for deadlock_timeout, 1 s). */
  deadlocks?: number;
  /** 1-minute load average when the run ended: the machine may be shared. */
  loadAvg1?: number;
  note?: string;
}

export interface PeakRss {
  frontEndMb: number | null;
  workersMb: number[];
  directMb: number | null;
}

export function shapeScenario(
  run: { name: string; concurrency: number; workers: number | null; note?: string },
  outcome: LoadOutcome,
  rss: PeakRss,
): ScenarioResult {
  const duration = outcome.durationS > 0 ? outcome.durationS : 1;
  const result: ScenarioResult = {
    name: run.name,
    concurrency: run.concurrency,
    workers: run.workers,
    rps: round(outcome.ok / duration, 1),
    p50Ms: outcome.latency.p50Ms,
    p99Ms: outcome.latency.p99Ms,
    maxMs: outcome.latency.maxMs,
    errors: outcome.non2xx + outcome.socketErrors,
    non2xx: outcome.non2xx,
    socketErrors: outcome.socketErrors,
    timeouts: outcome.timeouts,
    requests: outcome.ok + outcome.non2xx,
    durationS: round(outcome.durationS, 2),
    statusCodes: outcome.statusCodes,
    frontEndRssMb: rss.frontEndMb === null ? null : round(rss.frontEndMb, 1),
    workerRssMb: rss.workersMb.map((m) => round(m, 1)),
  };
  if (run.name.endsWith('-direct')) result.directRssMb = rss.directMb === null ? null : round(rss.directMb, 1);
  if (run.note) result.note = run.note;
  return result;
}

/** CPU ms per part shared out over every request of the run (warm-up included). */
export function cpuPerRequest(cpuMs: Record<string, number>, outcome: LoadOutcome): Record<string, number> {
  const n = outcome.ok + outcome.non2xx + (outcome.warmupRequests ?? 0);
  const out: Record<string, number> = {};
  for (const [part, ms] of Object.entries(cpuMs)) if (ms > 0) out[part] = n > 0 ? round(ms / n, 3) : 0;
  return out;
}

/** Parses the kB value of a /proc/<pid>/status line such as "VmRSS:\t  51234 kB"; MB out. */
export function parseStatusMb(status: string, field: 'VmRSS' | 'VmHWM'): number | null {
  const m = new RegExp(`^${field}:\\s+(\\d+)\\s+kB`, 'm').exec(status);
  return m ? Number(m[1]) / 1024 : null;
}
