import { describe, expect, it } from '@jest/globals';
import { formatEuro as sharedFormatEuro } from '@barback/messaging';
import {
  euroInput,
  formatEuro,
  formatDateTime,
  formatTime,
  isoToLocalInput,
  localInputToIso,
  parseDecimal,
  parseEuro,
  safeTimeZone,
} from '../../../front-end/src/services/format.js';

describe('money on screen', () => {
  it('shows cents for editing, without the euro sign (formatEuro: test/messaging/domain/money.unit.test.ts)', () => {
    expect(euroInput(2390)).toBe('23.90');
    expect(euroInput(5)).toBe('0.05');
  });

  it("shows amounts with the worker's own formatEuro, not a copy of it", () => {
    expect(formatEuro).toBe(sharedFormatEuro);
  });

  it('reads what a person types as cents, and nothing else', () => {
    expect(parseEuro('6.10')).toBe(610);
    expect(parseEuro('6,1')).toBe(610);
    expect(parseEuro(' €6 ')).toBe(600);
    expect(parseEuro('0.05')).toBe(5);
    expect(parseEuro('12.345')).toBeNull();
    expect(parseEuro('-1')).toBeNull();
    expect(parseEuro('ten')).toBeNull();
    expect(parseEuro('')).toBeNull();
  });

  it('reads decimals with a comma or a point', () => {
    expect(parseDecimal('4,3')).toBe(4.3);
    expect(parseDecimal('35.5')).toBe(35.5);
    expect(parseDecimal('40')).toBe(40);
    expect(parseDecimal('4.3%')).toBeNull();
  });
});

describe('times in the venue’s zone', () => {
  it('shows instants as Dublin wall-clock time, summer and winter', () => {
    expect(formatTime('2026-07-01T20:05:00Z', 'Europe/Dublin')).toBe('21:05');
    expect(formatTime('2026-01-15T20:05:00Z', 'Europe/Dublin')).toBe('20:05');
    expect(formatDateTime('2026-07-01T23:30:00Z', 'Europe/Dublin')).toContain('2 Jul 2026');
  });

  it('turns a datetime-local value into the right instant across DST', () => {
    expect(localInputToIso('2026-07-01T21:05', 'Europe/Dublin')).toBe('2026-07-01T20:05:00.000Z');
    expect(localInputToIso('2026-01-15T20:05', 'Europe/Dublin')).toBe('2026-01-15T20:05:00.000Z');
    // The first hour after the spring change (clocks went 01:00 → 02:00 on 29 March 2026).
    expect(localInputToIso('2026-03-29T02:30', 'Europe/Dublin')).toBe('2026-03-29T01:30:00.000Z');
    expect(localInputToIso('2026-06-30T23:59:59', 'Europe/Dublin')).toBe('2026-06-30T22:59:59.000Z');
    expect(isoToLocalInput('2026-07-01T20:05:00Z', 'Europe/Dublin')).toBe('2026-07-01T21:05');
  });

  it('refuses what is not a real date and time', () => {
    expect(localInputToIso('2026-02-30T10:00', 'Europe/Dublin')).toBeNull();
    expect(localInputToIso('yesterday', 'Europe/Dublin')).toBeNull();
    expect(localInputToIso('2026-01-01T24:00', 'Europe/Dublin')).toBeNull();
  });

  it('falls back to Dublin for a zone it does not know', () => {
    expect(safeTimeZone('Mars/Olympus')).toBe('Europe/Dublin');
    expect(safeTimeZone(undefined)).toBe('Europe/Dublin');
    expect(safeTimeZone('America/New_York')).toBe('America/New_York');
  });
});
