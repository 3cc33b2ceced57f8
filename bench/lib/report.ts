/**
 * Pure presentation of benchmark results: the console table, the results page
 * (bench/results/<name>.md), the verdict on each target of the issue, the
 * growth figures and the SVG chart. Everything takes plain data and returns
 * strings; bench/run.ts writes them to files under bench/results/ only.
 */
import { round, type ScenarioResult } from './stats.js';
import type { ChangeLatencyFigure } from './change-latency.js';
import type { OutboxPriceFigure } from './outbox-price.js';
import { describeVariance, type VarianceFigure } from './variance.js';
import { markdownReports, type ReportsFigure } from './reports.js';

export interface MachineInfo {
  cpus: number;
  node: string;
  date: string;
  cpuModel?: string;
  memGb?: number;
  /** 1/5/15-minute load averages when the run started and ended: the machine may be shared. */
  loadAvgStart?: number[];
  loadAvgEnd?: number[];
}

export interface GrowthFigure {
  name: string;
  /** What grew, e.g. "products in the venue" or "sales in the database". */
  what: string;
  concurrency: number;
  small: { size: number; rps: number; p50Ms: number | null; p99Ms: number | null };
  large: { size: number; rps: number; p50Ms: number | null; p99Ms: number | null };
  /** large p50 / small p50 (1.0: no growth). */
  p50Ratio: number | null;
  /** large rps / small rps. */
  rpsRatio: number | null;
}

export interface TargetResult {
  target: string;
  /** true holds, false misses, null not measured in this run. */
  holds: boolean | null;
  detail: string;
}

export interface BenchResults {
  machine: MachineInfo;
  mode: 'quick' | 'full';
  settings: Record<string, unknown>;
  scenarios: ScenarioResult[];
  growth: GrowthFigure[];
  targets: TargetResult[];
  /** Commit → stream and commit → SSE latency (issue 16), when measured. */
  changes?: ChangeLatencyFigure[];
  /** write throughput with the outbox against without it (issue 16), when measured. */
  outboxPrice?: OutboxPriceFigure;
  /** getVarianceReport's latency, and with / without sales before its period (issue 17), when measured. */
  variance?: VarianceFigure;
  /** The cash-up and VAT reports with 10,000 and with 150,000 sales in the year (issue 19), when measured. */
  reports?: ReportsFigure;
}

/** The change stream's figures as markdown: latencies per connection count, then the outbox's price. */
export function markdownChanges(results: Pick<BenchResults, 'changes' | 'outboxPrice'>): string {
  const out: string[] = [];
  if (results.changes?.length) {
    out.push('| connections | sales | commit → stream p50 / p99 / max ms | commit → SSE p50 / p99 / max ms |', '| --- | --- | --- | --- |');
    for (const f of results.changes) {
      const cell = (l: ChangeLatencyFigure['stream']) => `${fmt(l.p50Ms)} / ${fmt(l.p99Ms)} / ${fmt(l.maxMs)} (${l.matched} matched)`;
      out.push(`| ${f.concurrency} | ${f.sales} | ${cell(f.stream)} | ${cell(f.sse)} |`);
    }
  } else out.push('_Change latency not measured in this run._');
  out.push('');
  const p = results.outboxPrice;
  if (p) {
    out.push(
      `Outbox price at ${p.concurrency} connections: write throughput with / without the outbox ${p.ratioMedian.toFixed(3)} ` +
        `(median of ${p.pairs.length} alternating pairs; range ${p.ratioMin.toFixed(3)}–${p.ratioMax.toFixed(3)}; the issue allows down to 0.85).`,
      '',
      '| pair | with req/s | without req/s | ratio |',
      '| --- | --- | --- | --- |',
      ...p.pairs.map((x, i) => `| ${i + 1} | ${x.withRps.toFixed(0)} | ${x.withoutRps.toFixed(0)} | ${x.ratio.toFixed(3)} |`),
    );
  } else out.push('_Outbox price not measured in this run._');
  return out.join('\n');
}

const fmt = (v: number | null | undefined, digits = 1): string => (v === null || v === undefined ? '-' : v.toFixed(digits));

export const TABLE_HEADER = ['scenario', 'conc', 'workers', 'req/s', 'p50 ms', 'p99 ms', 'max ms', 'non-2xx', 'errors', 'deadlocks', 'FE RSS MB', 'worker RSS MB', 'CPU ms/req'];

const CPU_LABELS: [string, string][] = [
  ['frontEnd', 'fe'],
  ['workers', 'wk'],
  ['direct', 'direct'],
  ['broker', 'mq'],
  ['postgres', 'pg'],
  ['pgStandby', 'pgs'],
  ['loadGenerator', 'load'],
];

/** "fe 0.41 wk 0.62 mq 0.90 pg 0.35 load 0.20": where each request's CPU time went. */
export function formatCpu(cpu: Record<string, number> | undefined): string {
  if (!cpu) return '-';
  const parts = CPU_LABELS.flatMap(([k, label]) => {
    const ms = cpu[k] ?? 0;
    return ms > 0 ? [`${label} ${ms.toFixed(2)}`] : [];
  });
  return parts.length ? parts.join(' ') : '-';
}

export function tableRows(scenarios: ScenarioResult[]): string[][] {
  return scenarios.map((s) => [
    s.name,
    String(s.concurrency),
    s.workers === null ? '-' : String(s.workers),
    fmt(s.rps, 0),
    fmt(s.p50Ms, 2),
    fmt(s.p99Ms, 2),
    fmt(s.maxMs, 1),
    String(s.non2xx),
    String(s.socketErrors),
    s.deadlocks === undefined ? '-' : String(s.deadlocks),
    s.frontEndRssMb !== null ? fmt(s.frontEndRssMb, 0) : s.directRssMb != null ? `(direct ${fmt(s.directRssMb, 0)})` : '-',
    s.workerRssMb.length ? s.workerRssMb.map((m) => fmt(m, 0)).join('/') : '-',
    formatCpu(s.cpuMsPerRequest),
  ]);
}

const NUMERIC = new Set([1, 2, 3, 4, 5, 6, 7, 8, 9]);

/** Fixed-width text table for the console. */
export function formatTable(scenarios: ScenarioResult[]): string {
  const rows = [TABLE_HEADER, ...tableRows(scenarios)];
  const widths = TABLE_HEADER.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]): string =>
    r.map((c, i) => (NUMERIC.has(i) ? c.padStart(widths[i] ?? 0) : c.padEnd(widths[i] ?? 0))).join('  ').trimEnd();
  return [line(TABLE_HEADER), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(line)].join('\n');
}

/** The same table in Markdown, for the results page. */
export function markdownTable(scenarios: ScenarioResult[]): string {
  const align = TABLE_HEADER.map((_, i) => (NUMERIC.has(i) || i === 10 || i === 11 ? '---:' : '---'));
  return [
    `| ${TABLE_HEADER.join(' | ')} |`,
    `| ${align.join(' | ')} |`,
    ...tableRows(scenarios).map((r) => `| ${r.join(' | ')} |`),
  ].join('\n');
}

export function findScenario(
  scenarios: ScenarioResult[],
  name: string,
  concurrency: number,
  workers?: number | null,
): ScenarioResult | undefined {
  return scenarios.find((s) => s.name === name && s.concurrency === concurrency && (workers === undefined || s.workers === workers));
}

function pct(a: number, b: number): string {
  return b > 0 ? `${round((100 * a) / b, 0)}%` : 'n/a';
}

/**
 * The issue's targets, judged on this run's numbers. `workers` is the worker
 * count the plain `read`/`write` rows are compared at (the stack's default).
 */
export function evaluateTargets(scenarios: ScenarioResult[], workers: number): TargetResult[] {
  const out: TargetResult[] = [];
  const missing = (what: string): string => `not measured in this run (${what} missing)`;

  const read1 = findScenario(scenarios, 'read', 1, workers);
  out.push({
    target: 'read p50 ≤ 3 ms at 1 connection',
    holds: read1?.p50Ms == null ? null : read1.p50Ms <= 3,
    detail: read1?.p50Ms == null ? missing('read at 1 connection') : `p50 ${fmt(read1.p50Ms, 2)} ms`,
  });

  const read64 = findScenario(scenarios, 'read', 64, workers);
  const readDirect64 = findScenario(scenarios, 'read-direct', 64);
  out.push({
    target: "read at 64 connections ≥ 40% of read-direct's requests/s",
    holds: read64 && readDirect64 ? read64.rps >= 0.4 * readDirect64.rps : null,
    detail:
      read64 && readDirect64
        ? `${fmt(read64.rps, 0)} vs ${fmt(readDirect64.rps, 0)} req/s = ${pct(read64.rps, readDirect64.rps)}`
        : missing('read or read-direct at 64'),
  });

  const read16 = findScenario(scenarios, 'read', 16, workers);
  out.push({
    target: 'read p99 ≤ 25 ms at 16 connections',
    holds: read16?.p99Ms == null ? null : read16.p99Ms <= 25 && read16.errors === 0,
    detail: read16?.p99Ms == null ? missing('read at 16') : `p99 ${fmt(read16.p99Ms, 2)} ms, ${read16.errors} errors`,
  });

  const write64 = findScenario(scenarios, 'write', 64, workers);
  const writeDirect64 = findScenario(scenarios, 'write-direct', 64);
  out.push({
    target: "write at 64 connections ≥ 30% of write-direct's requests/s, zero errors",
    holds: write64 && writeDirect64 ? write64.rps >= 0.3 * writeDirect64.rps && write64.errors === 0 : null,
    detail:
      write64 && writeDirect64
        ? `${fmt(write64.rps, 0)} vs ${fmt(writeDirect64.rps, 0)} req/s = ${pct(write64.rps, writeDirect64.rps)}, ${write64.errors} errors`
        : missing('write or write-direct at 64'),
  });

  const write16 = findScenario(scenarios, 'write', 16, workers);
  out.push({
    target: 'write p99 ≤ 50 ms at 16 connections',
    holds: write16?.p99Ms == null ? null : write16.p99Ms <= 50 && write16.errors === 0,
    detail: write16?.p99Ms == null ? missing('write at 16') : `p99 ${fmt(write16.p99Ms, 2)} ms, ${write16.errors} errors`,
  });

  const login64 = findScenario(scenarios, 'login', 64);
  out.push({
    target: 'login storm at 64 connections: front end < 512 MB RSS, zero errors',
    holds: login64 && login64.frontEndRssMb !== null ? login64.frontEndRssMb < 512 && login64.errors === 0 : null,
    detail: login64
      ? `front end peak ${fmt(login64.frontEndRssMb, 0)} MB, ${login64.errors} errors, ${fmt(login64.rps, 1)} logins/s, p99 ${fmt(login64.p99Ms, 0)} ms`
      : missing('login at 64'),
  });
  return out;
}

export function formatTargets(targets: TargetResult[]): string {
  return targets
    .map((t) => `${t.holds === null ? '[ n/a ]' : t.holds ? '[ ok  ]' : '[MISS ]'} ${t.target}: ${t.detail}`)
    .join('\n');
}

function markdownTargets(targets: TargetResult[]): string {
  return [
    '| target | holds | measured |',
    '| --- | --- | --- |',
    ...targets.map((t) => `| ${t.target} | ${t.holds === null ? 'not measured' : t.holds ? 'yes' : '**no**'} | ${t.detail} |`),
  ].join('\n');
}

export function growthFigure(
  name: string,
  what: string,
  small: { size: number; result: ScenarioResult },
  large: { size: number; result: ScenarioResult },
): GrowthFigure {
  const pick = (size: number, r: ScenarioResult) => ({ size, rps: r.rps, p50Ms: r.p50Ms, p99Ms: r.p99Ms });
  const sp = small.result.p50Ms;
  const lp = large.result.p50Ms;
  return {
    name,
    what,
    concurrency: large.result.concurrency,
    small: pick(small.size, small.result),
    large: pick(large.size, large.result),
    p50Ratio: sp && lp !== null ? round(lp / sp, 2) : null,
    rpsRatio: small.result.rps > 0 ? round(large.result.rps / small.result.rps, 2) : null,
  };
}

export function formatGrowth(growth: GrowthFigure[]): string {
  return growth
    .map(
      (g) =>
        `${g.name} at ${g.concurrency} connection(s): ${g.small.size} ${g.what}: p50 ${fmt(g.small.p50Ms, 2)} ms, ${fmt(g.small.rps, 0)} req/s` +
        ` -> ${g.large.size} ${g.what}: p50 ${fmt(g.large.p50Ms, 2)} ms, ${fmt(g.large.rps, 0)} req/s` +
        ` (p50 x${fmt(g.p50Ratio, 2)}, req/s x${fmt(g.rpsRatio, 2)})`,
    )
    .join('\n');
}

function markdownGrowth(growth: GrowthFigure[]): string {
  return [
    '| figure | connections | small | large | p50 ratio | req/s ratio |',
    '| --- | ---: | --- | --- | ---: | ---: |',
    ...growth.map(
      (g) =>
        `| ${g.name} | ${g.concurrency} | ${g.small.size} ${g.what}: p50 ${fmt(g.small.p50Ms, 2)} ms, ${fmt(g.small.rps, 0)} req/s | ` +
        `${g.large.size} ${g.what}: p50 ${fmt(g.large.p50Ms, 2)} ms, ${fmt(g.large.rps, 0)} req/s | ${fmt(g.p50Ratio, 2)} | ${fmt(g.rpsRatio, 2)} |`,
    ),
  ].join('\n');
}

const escapeXml = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const COLOURS: Record<string, string> = {
  read: '#2b6cb0',
  'read-direct': '#90cdf4',
  write: '#c05621',
  'write-direct': '#fbd38d',
  login: '#2f855a',
};

function colourOf(name: string): string {
  return COLOURS[name] ?? '#718096';
}

/** A nice axis maximum: 1, 2 or 5 times a power of ten, at least `v`. */
export function niceMax(v: number): number {
  if (!(v > 0)) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 2, 5, 10]) if (m * p >= v) return m * p;
  return 10 * p;
}

/** Position (0..1) of `v` on a log axis from `lo` to `hi`, clamped. */
export function logPosition(v: number, lo: number, hi: number): number {
  if (!(v > lo)) return 0;
  return Math.min(1, Math.log10(v / lo) / Math.log10(hi / lo));
}

/**
 * Two horizontal bar charts side by side, one row per scenario: successful
 * requests/s on the left (linear), p50 (dark) and p99 (light) latency on the
 * right (log scale, so 1 ms and 1 s both read).
 */
export function renderSvg(results: Pick<BenchResults, 'machine' | 'mode' | 'scenarios'>): string {
  const rows = results.scenarios;
  const rowH = 20;
  const top = 80;
  const labelW = 260;
  const panelW = 330;
  const gap = 50;
  const width = labelW + panelW * 2 + gap + 60;
  const height = top + rows.length * rowH + 44;
  const maxRps = niceMax(Math.max(1, ...rows.map((r) => r.rps)));
  const latLo = 0.5;
  const latHi = 10 ** Math.ceil(Math.log10(Math.max(10, ...rows.map((r) => r.maxMs ?? r.p99Ms ?? 0))));
  const x1 = labelW;
  const x2 = labelW + panelW + gap;
  const yAxis = top + rows.length * rowH;
  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
    `<text x="10" y="20" font-size="15" font-weight="bold">Barback request path benchmark (${escapeXml(results.mode)})</text>`,
    `<text x="10" y="38" fill="#4a5568">${escapeXml(
      `${results.machine.date.slice(0, 16).replace('T', ' ')} UTC · ${results.machine.cpus} CPUs · node ${results.machine.node}` +
        (results.machine.loadAvgStart ? ` · load average at start ${results.machine.loadAvgStart.map((l) => l.toFixed(2)).join(' ')}` : ''),
    )}</text>`,
    `<text x="${x1}" y="${top - 22}" font-weight="bold">requests/s (2xx)</text>`,
    `<text x="${x2}" y="${top - 22}" font-weight="bold">latency ms (log scale): p50 dark, p99 light, max tick</text>`,
  );
  // Grid: rps every fifth of the axis, latency at powers of ten.
  for (let i = 0; i <= 5; i++) {
    const x = x1 + (panelW * i) / 5;
    out.push(
      `<line x1="${x.toFixed(1)}" y1="${top}" x2="${x.toFixed(1)}" y2="${yAxis}" stroke="#e2e8f0"/>`,
      `<text x="${x.toFixed(1)}" y="${top - 6}" text-anchor="middle" fill="#718096" font-size="10">${(maxRps * i) / 5}</text>`,
    );
  }
  for (let v = 1; v <= latHi; v *= 10) {
    const x = x2 + panelW * logPosition(v, latLo, latHi);
    out.push(
      `<line x1="${x.toFixed(1)}" y1="${top}" x2="${x.toFixed(1)}" y2="${yAxis}" stroke="#e2e8f0"/>`,
      `<text x="${x.toFixed(1)}" y="${top - 6}" text-anchor="middle" fill="#718096" font-size="10">${v >= 1000 ? `${v / 1000}s` : v}</text>`,
    );
  }
  rows.forEach((r, i) => {
    const y = top + i * rowH;
    const label = `${r.name} c=${r.concurrency}${r.workers === null ? '' : ` w=${r.workers}`}`;
    const c = colourOf(r.name);
    const rpsW = (panelW * r.rps) / maxRps;
    const p99W = panelW * logPosition(r.p99Ms ?? 0, latLo, latHi);
    const p50W = panelW * logPosition(r.p50Ms ?? 0, latLo, latHi);
    const maxX = x2 + panelW * logPosition(r.maxMs ?? 0, latLo, latHi);
    if (i % 2 === 0) out.push(`<rect x="0" y="${y}" width="${width}" height="${rowH}" fill="#f7fafc" fill-opacity="0.7"/>`);
    out.push(
      `<text x="${labelW - 8}" y="${y + 14}" text-anchor="end">${escapeXml(label)}${r.errors ? ` (${r.errors} err)` : ''}</text>`,
      `<rect x="${x1}" y="${y + 3}" width="${rpsW.toFixed(1)}" height="${rowH - 6}" fill="${c}"/>`,
      `<text x="${(x1 + rpsW + 4).toFixed(1)}" y="${y + 14}" fill="#2d3748">${r.rps.toFixed(0)}</text>`,
      `<rect x="${x2}" y="${y + 3}" width="${p99W.toFixed(1)}" height="${rowH - 6}" fill="${c}" fill-opacity="0.35"/>`,
      `<rect x="${x2}" y="${y + 6}" width="${p50W.toFixed(1)}" height="${rowH - 12}" fill="${c}"/>`,
    );
    if (r.maxMs !== null) out.push(`<line x1="${maxX.toFixed(1)}" y1="${y + 4}" x2="${maxX.toFixed(1)}" y2="${y + rowH - 4}" stroke="#4a5568"/>`);
    out.push(`<text x="${(Math.max(x2 + p99W, maxX) + 4).toFixed(1)}" y="${y + 14}" fill="#2d3748">${fmt(r.p50Ms, 1)} / ${fmt(r.p99Ms, 1)}</text>`);
  });
  out.push(
    `<line x1="${x1}" y1="${top}" x2="${x1}" y2="${yAxis}" stroke="#a0aec0"/>`,
    `<line x1="${x2}" y1="${top}" x2="${x2}" y2="${yAxis}" stroke="#a0aec0"/>`,
    `<text x="10" y="${yAxis + 26}" fill="#4a5568">c = concurrent connections, w = workers; -direct rows: the same handlers and pools in-process, no broker (bench/direct-server.ts)</text>`,
    '</svg>',
  );
  return out.join('\n') + '\n';
}

const show = (v: unknown): string => (Array.isArray(v) ? v.map(String).join('/') : String(v));

/**
 * The results page, bench/results/<name>.md: one self-contained page with
 * when and where the run was made, the chart, the scenario table, the targets
 * and the growth figures. `links.chart` is the SVG beside it and `links.guide`
 * the path from the page to docs/performance.md, which says how to read it.
 */
export function resultsPage(results: BenchResults, links: { chart: string; guide: string }): string {
  const m = results.machine;
  const s = results.settings;
  const date = `${m.date.slice(0, 16).replace('T', ' ')} UTC`;
  const load = (l: number[] | undefined): string => (l ? l.join(' / ') : 'not recorded');
  const skipped = Array.isArray(s['skipped']) ? s['skipped'].map(String) : [];
  const lines = [
    '# Barback benchmark results',
    '',
    `\`${show(s['command'])}\` (${results.mode} run) on ${date}. What each scenario measures, how to read the columns and ` +
      `what changed these numbers: [docs/performance.md](${links.guide}).`,
    '',
    '| run | |',
    '| --- | --- |',
    `| date | ${date} |`,
    `| command | \`${show(s['command'])}\` |`,
    `| runs | ${show(s['durationS'])} s each after a ${show(s['warmupS'])} s warm-up, at ${show(s['concurrency'])} connections |`,
    `| machine | ${m.cpus} CPUs (${m.cpuModel ?? 'unknown'}), ${m.memGb ?? '?'} GB, node ${m.node} |`,
    `| load average (1 / 5 / 15 min) | ${load(m.loadAvgStart)} at start, ${load(m.loadAvgEnd)} at end |`,
    `| stack | ${show(s['stack'])} |`,
    '',
    'Every part of the system and the load generator share this machine, which may be shared with other work too: ' +
      'compare rows of one run, not numbers across runs.',
    '',
    `![benchmark chart](${links.chart})`,
    '',
    '## Scenarios',
    '',
    markdownTable(results.scenarios),
    '',
    '## Targets',
    '',
    markdownTargets(results.targets),
    '',
    '## Growth',
    '',
    results.growth.length ? markdownGrowth(results.growth) : '_Growth figures not measured in this run._',
    '',
    '## Variance report',
    '',
    results.variance ? describeVariance(results.variance) : '_Variance report not measured in this run._',
    '',
    '## Shift and VAT reports',
    '',
    results.reports ? markdownReports(results.reports) : '_Shift and VAT reports not measured in this run._',
    '',
    '## Change stream',
    '',
    markdownChanges(results),
  ];
  if (skipped.length) lines.push('', '## Skipped', '', ...skipped.map((x) => `- ${x}`));
  return lines.join('\n') + '\n';
}
