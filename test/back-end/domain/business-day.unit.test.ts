/**
 * The business day (back-end/src/domain/business-day.ts): from the start hour
 * to the same hour the next day in the venue's zone, across Ireland's clock
 * changes (2026: forward at 01:00 UTC on 29 March, back at 01:00 UTC on
 * 25 October).
 */
import { describe, expect, it } from '@jest/globals';
import { businessDay } from '../../../back-end/src/domain/business-day.js';

const DUBLIN = 'Europe/Dublin';
const day = (iso: string, hour = 6, zone = DUBLIN) => {
  const d = businessDay(new Date(iso), zone, hour);
  return { date: d.date, startsAt: d.startsAt.toISOString(), endsAt: d.endsAt.toISOString() };
};

describe('businessDay in Dublin, starting at 06:00', () => {
  it('puts a sale at 02:00 in the day before, in winter (GMT) and in summer (IST)', () => {
    expect(day('2026-01-17T02:00:00Z')).toEqual({ date: '2026-01-16', startsAt: '2026-01-16T06:00:00.000Z', endsAt: '2026-01-17T06:00:00.000Z' });
    // 02:00 IST is 01:00 UTC.
    expect(day('2026-07-04T01:00:00Z')).toEqual({ date: '2026-07-03', startsAt: '2026-07-03T05:00:00.000Z', endsAt: '2026-07-04T05:00:00.000Z' });
  });

  it('puts exactly 06:00 in the new day and a millisecond before it in the old one', () => {
    expect(day('2026-07-04T05:00:00.000Z').date).toBe('2026-07-04');
    expect(day('2026-07-04T04:59:59.999Z').date).toBe('2026-07-03');
    expect(day('2026-01-17T06:00:00.000Z').date).toBe('2026-01-17');
    expect(day('2026-01-17T05:59:59.999Z').date).toBe('2026-01-16');
  });

  it('runs 23 hours over the spring change and 25 over the autumn one, wall clock to wall clock', () => {
    const spring = day('2026-03-28T23:30:00Z');
    expect(spring).toEqual({ date: '2026-03-28', startsAt: '2026-03-28T06:00:00.000Z', endsAt: '2026-03-29T05:00:00.000Z' });
    expect(Date.parse(spring.endsAt) - Date.parse(spring.startsAt)).toBe(23 * 3_600_000);
    // 01:30 GMT on the Sunday, an hour after the change: still Saturday night.
    expect(day('2026-03-29T00:30:00Z').date).toBe('2026-03-28');
    expect(day('2026-03-29T05:00:00Z').date).toBe('2026-03-29');

    const autumn = day('2026-10-25T01:30:00Z');
    expect(autumn).toEqual({ date: '2026-10-24', startsAt: '2026-10-24T05:00:00.000Z', endsAt: '2026-10-25T06:00:00.000Z' });
    expect(Date.parse(autumn.endsAt) - Date.parse(autumn.startsAt)).toBe(25 * 3_600_000);
    expect(day('2026-10-25T05:59:59.999Z').date).toBe('2026-10-24');
    expect(day('2026-10-25T06:00:00Z').date).toBe('2026-10-25');
  });

  it('gives each instant exactly one day: consecutive days meet, and every hour of a year falls inside its own', () => {
    let previous = businessDay(new Date('2026-01-01T00:00:00Z'), DUBLIN, 6);
    for (let t = Date.parse('2026-01-01T00:00:00Z'); t < Date.parse('2027-01-01T00:00:00Z'); t += 3_600_000) {
      const d = businessDay(new Date(t), DUBLIN, 6);
      expect(d.startsAt.getTime()).toBeLessThanOrEqual(t);
      expect(d.endsAt.getTime()).toBeGreaterThan(t);
      if (d.date !== previous.date) expect(d.startsAt.getTime()).toBe(previous.endsAt.getTime());
      previous = d;
    }
  });
});

describe('businessDay with other start hours and zones', () => {
  it('is the calendar day with a start hour of 0', () => {
    expect(day('2026-07-04T23:30:00Z', 0)).toEqual({ date: '2026-07-05', startsAt: '2026-07-04T23:00:00.000Z', endsAt: '2026-07-05T23:00:00.000Z' });
  });

  it('starts at the moment the clocks jump when the start hour is skipped, and at the first of a repeated hour', () => {
    // 01:00 GMT on 29 March does not exist: the clocks go to 02:00 IST, at 01:00 UTC.
    expect(day('2026-03-29T01:00:00Z', 1)).toEqual({ date: '2026-03-29', startsAt: '2026-03-29T01:00:00.000Z', endsAt: '2026-03-30T00:00:00.000Z' });
    expect(day('2026-03-29T00:59:59Z', 1).date).toBe('2026-03-28');
    // 01:00 happens twice on 25 October: the day starts at the first (IST, 00:00 UTC), and the second 01:30 is still in it.
    expect(day('2026-10-25T00:00:00Z', 1)).toEqual({ date: '2026-10-25', startsAt: '2026-10-25T00:00:00.000Z', endsAt: '2026-10-26T01:00:00.000Z' });
    expect(day('2026-10-25T01:30:00Z', 1).date).toBe('2026-10-25');
  });

  it('follows the venue’s own zone', () => {
    // 02:00 in New York (EDT, UTC−4) on 4 July is the night of the 3rd.
    expect(day('2026-07-04T06:00:00Z', 6, 'America/New_York')).toEqual({
      date: '2026-07-03',
      startsAt: '2026-07-03T10:00:00.000Z',
      endsAt: '2026-07-04T10:00:00.000Z',
    });
  });

  it('refuses a start hour that is not a whole hour from 0 to 12', () => {
    for (const bad of [-1, 13, 6.5, Number.NaN]) expect(() => businessDay(new Date(), DUBLIN, bad)).toThrow(RangeError);
    expect(() => businessDay(new Date(Number.NaN), DUBLIN, 6)).toThrow(RangeError);
  });
});
