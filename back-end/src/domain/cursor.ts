import { createHash } from 'node:crypto';
import { Errors, withField } from '@barback/messaging';

/**
 * Where the next page of a list starts: the sort key of the last item the
 * caller was given, newest first by (time, id). Keyset rather than offset: a
 * sale rung up while a manager pages through Friday night lands before the
 * first page instead of pushing every later page along by one (an offset
 * would show one sale twice), and page 50 costs what page 1 costs.
 */
export interface PageKey {
  /** The row's time as Postgres holds it, to the microsecond, in UTC: `2026-03-01T18:04:05.123456Z`. */
  at: string;
  /** The tiebreaker for rows of the same microsecond: a uuid (sales) or a bigint's digits (audit; events, where it is the position and decides alone). */
  id: string;
}

/** Which list a cursor belongs to: a sales cursor given to the audit log is refused, not misread. */
export type PageList = 'sales' | 'audit' | 'events' | 'deliveries' | 'wastage' | 'stockMoves' | 'zReports';

// Enough to catch a cursor that was cut short, edited by hand or mixed up
// with another string; not a secret. A caller who forges a well-formed cursor
// only starts a page of their own venue's list wherever they like, which the
// `to` filter lets them do anyway.
const CHECK_BYTES = 8;
const AT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})\.(\d{6})Z$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const BIGINT = /^(0|[1-9]\d{0,18})$/;
const BIGINT_MAX = 9_223_372_036_854_775_807n;

function check(payload: Buffer): Buffer {
  return createHash('sha256').update(payload).digest().subarray(0, CHECK_BYTES);
}

export function encodeCursor(list: PageList, key: PageKey): string {
  const payload = Buffer.from(JSON.stringify({ l: list, at: key.at, id: key.id }));
  return Buffer.concat([payload, check(payload)]).toString('base64url');
}

/** A real instant Postgres accepts: the pattern alone lets 2026-02-31 through, which would be a 500 from the database. */
function isInstant(at: string): boolean {
  const m = AT.exec(at);
  if (!m) return false;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  if (year < 1) return false;
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, 0);
  return (
    date.getUTCFullYear() === year &&
    date.getUTCMonth() === month - 1 &&
    date.getUTCDate() === day &&
    date.getUTCHours() === hour &&
    date.getUTCMinutes() === minute &&
    date.getUTCSeconds() === second
  );
}

function isId(list: PageList, id: string): boolean {
  if (list === 'sales' || list === 'deliveries' || list === 'wastage' || list === 'zReports') return UUID.test(id);
  return BIGINT.test(id) && BigInt(id) <= BIGINT_MAX;
}

function refuse(field: string): Error {
  return withField(new Errors.validation(`${field} is not a cursor this list gave out: start again from the first page (no ${field}).`), field);
}

/**
 * The key a cursor of `list` carries, or a 400 naming the field: whatever a
 * caller sends, nothing but a well-formed instant and id reaches the SQL.
 */
export function decodeCursor(list: PageList, cursor: string, field = 'cursor'): PageKey {
  const bytes = Buffer.from(cursor, 'base64url');
  // Node's decoder skips characters it does not know; only a cursor that encodes back to itself is the one we wrote.
  if (bytes.length <= CHECK_BYTES || bytes.toString('base64url') !== cursor) throw refuse(field);
  const payload = bytes.subarray(0, bytes.length - CHECK_BYTES);
  if (!check(payload).equals(bytes.subarray(bytes.length - CHECK_BYTES))) throw refuse(field);
  let value: unknown;
  try {
    value = JSON.parse(payload.toString('utf8'));
  } catch {
    throw refuse(field);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw refuse(field);
  const { l, at, id, ...rest } = value as Record<string, unknown>;
  if (Object.keys(rest).length || l !== list || typeof at !== 'string' || typeof id !== 'string') throw refuse(field);
  if (!isInstant(at) || !isId(list, id)) throw refuse(field);
  return { at, id };
}

/**
 * One page out of `rows`, which the query fetched with one row more than the
 * page holds: that extra row says whether there is a next page, so the last
 * page never sends the caller on to an empty one. `nextKey` is the key of the
 * page's last row, where the next page starts.
 */
export function splitPage<R>(rows: readonly R[], limit: number, keyOf: (row: R) => PageKey): { rows: R[]; nextKey: PageKey | null } {
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return { rows: page, nextKey: rows.length > limit && last !== undefined ? keyOf(last) : null };
}
