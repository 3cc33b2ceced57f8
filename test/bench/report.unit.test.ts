import { describe, expect, it } from '@jest/globals';
import { baseCatalogue, makeCatalogue, minimumPriceCents } from '../../bench/lib/catalogue.js';
import { saleBody } from '../../bench/lib/load-spec.js';
import {
  evaluateTargets,
  formatCpu,
  formatTable,
  growthFigure,
  markdownTable,
  niceMax,
  renderSvg,
  resultsPage,
  type BenchResults,
} from '../../bench/lib/report.js';
import { cpuPerRequest, parseStatusMb, percentile, shapeScenario, summarise, type LoadOutcome, type ScenarioResult } from '../../bench/lib/stats.js';

function outcome(partial: Partial<LoadOutcome> = {}): LoadOutcome {
  return {
    durationS: 10,
    ok: 1000,
    non2xx: 0,
    socketErrors: 0,
    timeouts: 0,
    statusCodes: { '200': 1000 },
    latency: { count: 1000, p50Ms: 2, p99Ms: 9, maxMs: 20, meanMs: 3 },
    ...partial,
  };
}

function row(name: string, concurrency: number, rps: number, extra: Partial<ScenarioResult> = {}): ScenarioResult {
  const r = shapeScenario(
    { name, concurrency, workers: name.endsWith('-direct') ? null : 2 },
    outcome({ ok: rps * 10 }),
    { frontEndMb: 100, workersMb: [80, 81], directMb: 90 },
  );
  return { ...r, ...extra };
}

describe('percentiles', () => {
  it('uses the nearest rank', () => {
    const sorted = Float64Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(sorted, 50)).toBe(50);
    expect(percentile(sorted, 99)).toBe(99);
    expect(percentile(sorted, 100)).toBe(100);
    expect(percentile(sorted, 0)).toBe(1);
    expect(percentile([], 50)).toBeNull();
    expect(() => percentile(sorted, 101)).toThrow(RangeError);
  });

  it('summarises unsorted sub-millisecond latencies', () => {
    const s = summarise([0.9, 3.25, 1.1, 0.7, 10.5]);
    expect(s).toEqual({ count: 5, p50Ms: 1.1, p99Ms: 10.5, maxMs: 10.5, meanMs: 3.29 });
    expect(summarise([]).p50Ms).toBeNull();
  });
});

describe('a scenario row', () => {
  it('counts non-2xx answers and socket errors as errors and rates only successes', () => {
    const r = shapeScenario(
      { name: 'write', concurrency: 64, workers: 2 },
      outcome({ ok: 900, non2xx: 5, socketErrors: 2, timeouts: 1, statusCodes: { '201': 900, '503': 5 } }),
      { frontEndMb: 123.456, workersMb: [80.04, 90.06], directMb: null },
    );
    expect(r).toMatchObject({ rps: 90, errors: 7, non2xx: 5, socketErrors: 2, timeouts: 1, requests: 905, frontEndRssMb: 123.5, workerRssMb: [80, 90.1] });
    expect(r).not.toHaveProperty('directRssMb');
    const d = shapeScenario({ name: 'read-direct', concurrency: 1, workers: null }, outcome(), { frontEndMb: null, workersMb: [], directMb: 70 });
    expect(d.directRssMb).toBe(70);
    expect(d.frontEndRssMb).toBeNull();
  });

  it('reads RSS figures from /proc/<pid>/status', () => {
    const status = 'Name:\tnode\nVmHWM:\t  204800 kB\nVmRSS:\t  102400 kB\n';
    expect(parseStatusMb(status, 'VmRSS')).toBe(100);
    expect(parseStatusMb(status, 'VmHWM')).toBe(200);
    expect(parseStatusMb('Name: x', 'VmRSS')).toBeNull();
  });
});

describe('tables and targets', () => {
  const scenarios = [
    row('read', 1, 400, { p50Ms: 2.5 }),
    row('read', 16, 1500, { p99Ms: 30 }),
    row('read', 64, 1600),
    row('read-direct', 64, 3000),
    row('write', 16, 500),
    row('write', 64, 600, { errors: 1, non2xx: 1 }),
    row('write-direct', 64, 1000),
    row('login', 64, 30, { frontEndRssMb: 300 }),
  ];

  it('prints one aligned line per scenario, and the same in Markdown', () => {
    const text = formatTable(scenarios).split('\n');
    expect(text).toHaveLength(scenarios.length + 2);
    expect(text[0]).toMatch(/^scenario\s+conc\s+workers\s+req\/s/);
    expect(text[2]).toMatch(/^read\s+1\s+2\s+400\s+2\.50/);
    const md = markdownTable(scenarios).split('\n');
    expect(md[0]).toBe('| scenario | conc | workers | req/s | p50 ms | p99 ms | max ms | non-2xx | errors | deadlocks | FE RSS MB | worker RSS MB | CPU ms/req |');
    expect(md[5]).toContain('| read-direct | 64 | - | 3000 |');
  });

  it('says where the CPU time of a request went', () => {
    expect(formatCpu({ frontEnd: 0.4, workers: 0.625, broker: 0, postgres: 0.3, loadGenerator: 0.2 })).toBe('fe 0.40 wk 0.63 pg 0.30 load 0.20');
    expect(formatCpu(undefined)).toBe('-');
    const o = { ...outcome({ ok: 90, non2xx: 5 }), warmupRequests: 5 };
    expect(cpuPerRequest({ frontEnd: 50, workers: 0 }, o)).toEqual({ frontEnd: 0.5 });
  });

  it('judges each target of the issue on the numbers', () => {
    const t = Object.fromEntries(evaluateTargets(scenarios, 2).map((x) => [x.target, x]));
    expect(t['read p50 ≤ 3 ms at 1 connection']!.holds).toBe(true);
    expect(t["read at 64 connections ≥ 40% of read-direct's requests/s"]).toMatchObject({ holds: true, detail: '1600 vs 3000 req/s = 53%' });
    expect(t['read p99 ≤ 25 ms at 16 connections']!.holds).toBe(false);
    expect(t["write at 64 connections ≥ 30% of write-direct's requests/s, zero errors"]!.holds).toBe(false);
    expect(t['write p99 ≤ 50 ms at 16 connections']!.holds).toBe(true);
    expect(t['login storm at 64 connections: front end < 512 MB RSS, zero errors']!.holds).toBe(true);
    const none = evaluateTargets([], 2);
    expect(none.every((x) => x.holds === null)).toBe(true);
  });

  it('states growth as ratios', () => {
    const g = growthFigure('read', 'products', { size: 60, result: row('read', 1, 400, { p50Ms: 2 }) }, { size: 2000, result: row('read', 1, 100, { p50Ms: 8 }) });
    expect(g).toMatchObject({ p50Ratio: 4, rpsRatio: 0.25, small: { size: 60 }, large: { size: 2000 } });
  });

  it('draws an SVG chart with a row per scenario', () => {
    const svg = renderSvg({ machine: { cpus: 2, node: 'v20', date: '2025-01-01T00:00:00Z' }, mode: 'quick', scenarios });
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg.trim().endsWith('</svg>')).toBe(true);
    expect(svg.match(/c=64/g)).toHaveLength(5);
    expect(niceMax(1600)).toBe(2000);
    expect(niceMax(0)).toBe(1);
  });

  it('writes a results page that stands on its own', () => {
    const results: BenchResults = {
      machine: { cpus: 2, node: 'v20.20.2', date: '2026-12-02T00:16:44.383Z', cpuModel: 'AMD EPYC', memGb: 23.5, loadAvgStart: [0.89, 1.91, 2.62], loadAvgEnd: [4.54, 4.59, 3.85] },
      mode: 'full',
      settings: { command: 'npm run bench', durationS: 15, warmupS: 3, concurrency: [1, 16, 64], stack: 'own (port base 25000)', skipped: [] },
      scenarios,
      growth: [],
      targets: evaluateTargets(scenarios, 2),
    };
    const page = resultsPage(results, { chart: 'latest.svg', guide: '../../docs/performance.md' });
    const lines = page.split('\n');
    expect(lines[0]).toBe('# Barback benchmark results');
    expect(page).toContain('| date | 2026-12-02 00:16 UTC |');
    expect(page).toContain('| machine | 2 CPUs (AMD EPYC), 23.5 GB, node v20.20.2 |');
    expect(page).toContain('| runs | 15 s each after a 3 s warm-up, at 1/16/64 connections |');
    expect(page).toContain('| load average (1 / 5 / 15 min) | 0.89 / 1.91 / 2.62 at start, 4.54 / 4.59 / 3.85 at end |');
    expect(page).toContain('[docs/performance.md](../../docs/performance.md)');
    expect(page).toContain('![benchmark chart](latest.svg)');
    // The scenario table, whole, then the targets judged on it.
    expect(page).toContain(markdownTable(scenarios));
    expect(page).toContain('| read p99 ≤ 25 ms at 16 connections | **no** | p99 30.00 ms, 0 errors |');
    expect(page).toContain('_Growth figures not measured in this run._');
    expect(page).not.toContain('## Skipped');
    // The change stream's section comes last, and says what this run did not measure.
    expect(page.endsWith('## Change stream\n\n_Change latency not measured in this run._\n\n_Outbox price not measured in this run._\n')).toBe(true);

    const skipped = resultsPage(
      { ...results, settings: { ...results.settings, skipped: ['read: GET /api/v1/products answered 500'] }, growth: [growthFigure('read', 'products', { size: 60, result: scenarios[0]! }, { size: 2000, result: row('read', 1, 100, { p50Ms: 8 }) })] },
      { chart: 'try.svg', guide: '../../../docs/performance.md' },
    );
    expect(skipped).toContain('## Skipped\n\n- read: GET /api/v1/products answered 500');
    expect(skipped).toContain('| read | 1 | 60 products: p50 2.50 ms, 400 req/s | 2000 products: p50 8.00 ms, 100 req/s | 3.20 | 0.25 |');
    expect(skipped).not.toContain('_Growth figures not measured in this run._');
    expect(skipped).toContain('![benchmark chart](try.svg)');
  });
});

describe('test data', () => {
  it('prices every alcoholic serving at or above the minimum unit price', () => {
    expect(minimumPriceCents(568, 4.3)).toBe(193);
    const products = baseCatalogue();
    expect(products).toHaveLength(60);
    for (const p of products) {
      expect(p.servings).toHaveLength(2);
      for (const s of p.servings) {
        const ml = s.ml ?? p.unitMl;
        if (ml !== null && p.abv > 0) expect(s.priceCents).toBeGreaterThanOrEqual(minimumPriceCents(ml, p.abv));
      }
    }
  });

  it('keeps product names unique in a big catalogue', () => {
    const names = makeCatalogue(2000).map((p) => p.name.toLowerCase());
    expect(new Set(names).size).toBe(2000);
    expect(Math.max(...names.map((n) => n.length))).toBeLessThanOrEqual(120);
  });

  it('makes a sale of distinct servings paid for exactly', () => {
    const servings = [
      { id: 'a', priceCents: 500 },
      { id: 'b', priceCents: 620 },
      { id: 'c', priceCents: 1200 },
      { id: 'd', priceCents: 180 },
    ];
    let seed = 1;
    const random = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
    for (let i = 0; i < 50; i++) {
      const body = saleBody(servings, 3, random);
      expect(new Set(body.lines.map((l) => l.servingId)).size).toBe(3);
      const total = body.lines.reduce((sum, l) => sum + servings.find((s) => s.id === l.servingId)!.priceCents * l.quantity, 0);
      expect(body.payments).toEqual([{ method: 'card', amountCents: total }]);
      for (const l of body.lines) expect([1, 2]).toContain(l.quantity);
    }
    expect(() => saleBody(servings.slice(0, 2), 3, random)).toThrow();
  });

  it('puts the popular serving in every sale, beside others chosen at random', () => {
    const servings = Array.from({ length: 8 }, (_, i) => ({ id: `s${i}`, priceCents: 400 + i * 10 }));
    let seed = 7;
    const random = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
    const others = new Set<string>();
    for (let i = 0; i < 50; i += 1) {
      const body = saleBody(servings, 3, random, 4);
      const ids = body.lines.map((l) => l.servingId);
      expect(ids).toContain(servings[4]!.id);
      expect(new Set(ids).size).toBe(3);
      for (const id of ids) others.add(id);
    }
    expect(others.size).toBeGreaterThan(3);
    expect(() => saleBody(servings, 3, random, servings.length)).toThrow();
  });
});
