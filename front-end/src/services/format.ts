/**
 * Display and input conversions for pages. Money stays integer cents in every
 * call and reply; only what a person reads or types is in euro, and only what
 * a person reads or types is in the venue's wall-clock time.
 */

export const DEFAULT_TIME_ZONE = 'Europe/Dublin';

/** The worker's refusals write amounts with the same function: messaging/src/domain/money.ts. */
export { formatEuro } from '@barback/messaging';

/** What a till or a form field shows for an amount to be edited: "6.10", no euro sign. */
export function euroInput(cents: number): string {
  return `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;
}

const EURO = /^\s*€?\s*(\d{1,7})(?:[.,](\d{1,2}))?\s*$/;

/** "6.10", "6,1", "€6" → cents; anything else (negatives, three decimals, words) → null. */
export function parseEuro(text: string): number | null {
  const m = EURO.exec(text);
  if (!m) return null;
  const fraction = (m[2] ?? '').padEnd(2, '0');
  return Number(m[1]) * 100 + Number(fraction);
}

const DECIMAL = /^\s*(\d{1,9})(?:[.,](\d{1,4}))?\s*$/;

/** A non-negative decimal typed by a person, with a comma or a point: "4,3" → 4.3. */
export function parseDecimal(text: string): number | null {
  const m = DECIMAL.exec(text);
  if (!m) return null;
  return Number(`${m[1]}.${m[2] ?? '0'}`);
}

/** An unknown or misspelt zone stored for a venue must not take every page down with it. */
export function safeTimeZone(timeZone: string | undefined): string {
  if (!timeZone) return DEFAULT_TIME_ZONE;
  try {
    new Intl.DateTimeFormat('en-IE', { timeZone });
    return timeZone;
  } catch {
    return DEFAULT_TIME_ZONE;
  }
}

export function formatTime(iso: string, timeZone: string): string {
  return new Intl.DateTimeFormat('en-IE', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(iso));
}

export function formatDateTime(iso: string, timeZone: string): string {
  return new Intl.DateTimeFormat('en-IE', {
    timeZone,
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(new Date(iso));
}

/** How far the zone's wall clock is ahead of UTC at that instant, in ms. */
function zoneOffsetMs(utcMs: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(utcMs));
  const get = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const wallAsUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return wallAsUtc - Math.floor(utcMs / 1000) * 1000;
}

const LOCAL_INPUT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/;

/**
 * An `<input type="datetime-local">` value, read as wall-clock time in the
 * venue's zone, to an ISO instant; null when it is not a real date and time.
 * The offset is taken twice so a time just after a DST change lands right.
 */
export function localInputToIso(value: string, timeZone: string): string | null {
  const m = LOCAL_INPUT.exec(value.trim());
  if (!m) return null;
  const [year, month, day, hour, minute, second] = m.slice(1).map((v) => Number(v ?? 0)) as [number, number, number, number, number, number];
  const wall = Date.UTC(year, month - 1, day, hour, minute, second);
  const check = new Date(wall);
  if (check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day || hour > 23 || minute > 59 || second > 59) return null;
  const first = wall - zoneOffsetMs(wall, timeZone);
  return new Date(wall - zoneOffsetMs(first, timeZone)).toISOString();
}

/** The reverse, to put an instant back into a datetime-local field. */
export function isoToLocalInput(iso: string, timeZone: string): string {
  const ms = Date.parse(iso);
  const wall = new Date(ms + zoneOffsetMs(ms, timeZone));
  return wall.toISOString().slice(0, 16);
}
