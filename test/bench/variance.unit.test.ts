/**
 * The variance report's bench figure (bench/lib/variance.ts), its pure part:
 * p50s of each side, B over A, the per-pair ratios' median and middle half,
 * and the system's CPU per request without the load generator's.
 */
import { describe, expect, it } from '@jest/globals';
import { describeVariance, varianceFigure, type VarianceVenue } from '../../bench/lib/variance.js';
import type { ScenarioResult } from '../../bench/lib/stats.js';

const venue = (salesBefore: number): VarianceVenue => ({
  session: { cookie: '', csrfToken: '', staffId: '', venueId: '' },
  actor: { staffId: '', venueId: '' },
  stocktakeId: '',
  products: 300,
  salesBefore,
  salesInPeriod: 20_000,
});

const withCpu = (cpuMsPerRequest: Record<string, number>) => ({ cpuMsPerRequest }) as unknown as ScenarioResult;

describe('the variance figure', () => {
  it('compares the two sides pair by pair', () => {
    const f = varianceFigure(
      { without: venue(0), with: venue(20_000) },
      // Pairs: 110/100, 90/100, 200/200, 120/100 → ratios 1.1, 0.9, 1, 1.2.
      { aMs: [100, 100, 200, 100], bMs: [110, 90, 200, 120] },
      { without: withCpu({ frontEnd: 5, workers: 10, postgres: 1, pgStandby: 90, broker: 4, loadGenerator: 50 }), with: withCpu({ pgStandby: 95, workers: 10 }) },
    );
    expect(f).toEqual({
      products: 300,
      salesInPeriod: 20_000,
      salesBefore: 20_000,
      pairs: 4,
      without: { p50Ms: 100, p90Ms: 200, maxMs: 200 },
      with: { p50Ms: 110, p90Ms: 200, maxMs: 200 },
      ratioP50: 1.1,
      pairRatio: { median: 1, p25: 0.9, p75: 1.1 },
      cpuMsPerRequest: { without: 110, with: 105 },
    });
    expect(describeVariance(f)).toContain('p50 100.0 ms (p90 200.0 ms; target p50 ≤ 150 ms)');
    expect(describeVariance(f)).toContain('ratio 1.100, per adjacent pair median 1.000 (p25–p75 0.900–1.100, 4 alternating pairs)');
  });

  it('says what it could not measure', () => {
    const f = varianceFigure({ without: venue(0), with: venue(20_000) }, { aMs: [], bMs: [] }, {});
    expect(f.without.p50Ms).toBeNull();
    expect(f.ratioP50).toBeNull();
    expect(f.pairRatio.median).toBeNull();
    expect(describeVariance(f)).toContain('p50 - (p90 -');
  });
});
