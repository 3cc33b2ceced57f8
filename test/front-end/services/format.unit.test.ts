import { describe, expect, it } from '@jest/globals';
import { formatEuro as sharedFormatEuro } from '@barback/messaging';
import {
  euroInput,
  formatEuro,
  formatDateTime,
  formatStock,
  formatTime,
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

describe('stock as people count it', () => {
  const keg = (stockUnits: number, unitMl = 50_000) => formatStock({ category: 'draught', unitMl, stockUnits });

  it('counts draught in kegs and pints of 568 ml, the part to one decimal', () => {
    // 31.2 pints = 17,721.6 ml of a 50 l keg.
    expect(keg(1 + (31.2 * 568) / 50_000)).toEqual({ text: '1 keg + 31.2 pints', negative: false });
    expect(keg(3)).toEqual({ text: '3 kegs', negative: false });
    expect(keg(568 / 50_000).text).toBe('1 pint');
    // Half a 30 l keg: 15,000 / 568 = 26.41 pints.
    expect(keg(0.5, 30_000).text).toBe('26.4 pints');
    expect(keg(0).text).toBe('0 kegs');
  });

  it('counts spirits in bottles and measures of 35.5 ml', () => {
    // Stock is kept to 8 places: 2 + 319.5 / 700 = 2.45642857.
    expect(formatStock({ category: 'spirit', unitMl: 700, stockUnits: 2.45642857 }).text).toBe('2 bottles + 9 measures');
    // 2.99999999 of a bottle is three bottles, not "2 bottles + 19.7 measures".
    expect(formatStock({ category: 'spirit', unitMl: 700, stockUnits: 2.99999999 }).text).toBe('3 bottles');
    expect(formatStock({ category: 'spirit', unitMl: 700, stockUnits: 1 }).text).toBe('1 bottle');
  });

  it('counts wine in bottles and glasses: its own glass serving, else a quarter bottle', () => {
    const servings = [{ name: 'Glass (175 ml)', ml: 175 }, { name: 'Bottle', ml: 750 }];
    expect(formatStock({ category: 'wine', unitMl: 750, stockUnits: 1.7, servings }).text).toBe('1 bottle + 3 glasses');
    expect(formatStock({ category: 'wine', unitMl: 750, stockUnits: 1.7 }).text).toBe('1 bottle + 2.8 glasses');
    expect(formatStock({ category: 'wine', unitMl: 10_000, stockUnits: 2 }).text).toBe('2 boxes');
  });

  it('counts things sold whole in units named by their serving or their category', () => {
    expect(formatStock({ category: 'food', unitMl: null, stockUnits: 14, servings: [{ name: 'Packet of Tayto', ml: null }] }).text).toBe('14 bags');
    expect(formatStock({ category: 'soft', unitMl: null, stockUnits: 14, servings: [{ name: 'Can', ml: null }] }).text).toBe('14 cans');
    expect(formatStock({ category: 'bottle', unitMl: null, stockUnits: 1, servings: [{ name: 'Bottle', ml: null }] }).text).toBe('1 bottle');
    expect(formatStock({ category: 'other', unitMl: null, stockUnits: 2.5 }).text).toBe('2.5 units');
  });

  it('gives the rest of a unit in ml when nothing else names it', () => {
    expect(formatStock({ category: 'bottle', unitMl: 330, stockUnits: 1.5 }).text).toBe('1 bottle + 165 ml');
  });

  it('flags stock below zero, and says so in words', () => {
    // −0.38624 of a 50 l keg: 19,312 ml = 34 pints.
    expect(keg(-0.38624)).toEqual({ text: '34 pints below zero', negative: true });
    expect(formatStock({ category: 'food', unitMl: null, stockUnits: -3 })).toEqual({ text: '3 bags below zero', negative: true });
    expect(keg(-1.5).text).toBe('1 keg + 44 pints below zero');
  });
});
