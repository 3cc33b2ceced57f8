/** Page cursors (back-end/src/domain/cursor.ts): what a list hands out, and what it refuses before any SQL. */
import { createHash } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import type { CodedError } from '@barback/messaging';
import { decodeCursor, encodeCursor, splitPage, type PageKey } from '../../../back-end/src/domain/cursor.js';

const SALE_KEY: PageKey = { at: '2026-03-06T23:59:59.123456Z', id: '0195f0a2-7c1e-7b3a-9c4d-1e2f3a4b5c6d' };
const AUDIT_KEY: PageKey = { at: '2026-03-06T23:59:59.000001Z', id: '9223372036854775807' };

function refusal(fn: () => unknown): CodedError {
  try {
    fn();
  } catch (err) {
    return err as CodedError;
  }
  throw new Error('expected a refusal');
}

function expectRefused(list: 'sales' | 'audit', cursor: string): void {
  const err = refusal(() => decodeCursor(list, cursor));
  expect({ code: err.code, statusCode: err.statusCode, field: err.field }).toEqual({ code: 'BB_VALIDATION', statusCode: 400, field: 'cursor' });
}

/** A cursor carrying any payload with a correct check (the first 8 bytes of its sha256), as someone who read the code could make. */
function forged(payload: unknown): string {
  const json = Buffer.from(JSON.stringify(payload));
  return Buffer.concat([json, createHash('sha256').update(json).digest().subarray(0, 8)]).toString('base64url');
}

describe('page cursors', () => {
  it('give back the key they were made from, to the microsecond', () => {
    expect(decodeCursor('sales', encodeCursor('sales', SALE_KEY))).toEqual(SALE_KEY);
    expect(decodeCursor('audit', encodeCursor('audit', AUDIT_KEY))).toEqual(AUDIT_KEY);
  });

  it('are opaque url-safe text that fits the contract', () => {
    const cursor = encodeCursor('sales', SALE_KEY);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(cursor.length).toBeLessThanOrEqual(200);
  });

  it('refuse a cursor of the other list', () => {
    expectRefused('audit', encodeCursor('sales', SALE_KEY));
    expectRefused('sales', encodeCursor('audit', AUDIT_KEY));
  });

  it('refuse anything edited, cut short or made up', () => {
    const cursor = encodeCursor('sales', SALE_KEY);
    // Every single-character edit is caught, including those that leave valid JSON (a digit of the time changed).
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    for (let i = 0; i < cursor.length; i += 1) {
      const other = alphabet[(alphabet.indexOf(cursor[i]!) + 1) % alphabet.length]!;
      const edited = cursor.slice(0, i) + other + cursor.slice(i + 1);
      expectRefused('sales', edited);
    }
    expectRefused('sales', cursor.slice(0, -3));
    expectRefused('sales', `${cursor}AA`);
    for (const junk of ['x', 'abc', 'null', Buffer.from('{}').toString('base64url'), '!!!!', `${cursor}=`, 'a'.repeat(200)]) {
      expectRefused('sales', junk);
    }
  });

  it('refuse a well-checked payload whose key is not an instant and an id', () => {
    // Each of these would reach Postgres as a cast error (a 500) if the pattern alone were trusted.
    for (const payload of [
      { l: 'sales', at: '2026-02-31T00:00:00.000000Z', id: SALE_KEY.id },
      { l: 'sales', at: '2026-13-01T00:00:00.000000Z', id: SALE_KEY.id },
      { l: 'sales', at: '2026-03-01T24:00:00.000000Z', id: SALE_KEY.id },
      { l: 'sales', at: '0000-03-01T00:00:00.000000Z', id: SALE_KEY.id },
      { l: 'sales', at: '2026-03-01T00:00:00Z', id: SALE_KEY.id },
      { l: 'sales', at: '2026-03-01', id: SALE_KEY.id },
      { l: 'sales', at: SALE_KEY.at, id: 'not-a-uuid' },
      { l: 'sales', at: SALE_KEY.at, id: "'; DROP TABLE tabs; --" },
      { l: 'sales', at: SALE_KEY.at, id: SALE_KEY.id, extra: 1 },
      { l: 'sales', at: SALE_KEY.at },
      { l: 'audit', at: AUDIT_KEY.at, id: '9223372036854775808' },
      { l: 'audit', at: AUDIT_KEY.at, id: '-1' },
      { l: 'audit', at: AUDIT_KEY.at, id: 12 },
      [SALE_KEY.at, SALE_KEY.id],
      'sales',
    ]) {
      const list = !Array.isArray(payload) && typeof payload === 'object' && payload.l === 'audit' ? 'audit' : 'sales';
      expectRefused(list, forged(payload));
    }
    // The same forgery with a good key is taken: the check is not a secret, and need not be (the venue filter is).
    expect(decodeCursor('sales', forged({ l: 'sales', at: '2024-02-29T12:00:00.000000Z', id: SALE_KEY.id }))).toEqual({
      at: '2024-02-29T12:00:00.000000Z',
      id: SALE_KEY.id,
    });
  });
});

describe('splitPage', () => {
  const key = (n: number): PageKey => ({ at: SALE_KEY.at, id: String(n) });

  it('keeps `limit` rows and points past the last when the query found one more', () => {
    expect(splitPage([1, 2, 3, 4], 3, key)).toEqual({ rows: [1, 2, 3], nextKey: key(3) });
  });

  it('has no next page when the query found no more than the limit', () => {
    expect(splitPage([1, 2, 3], 3, key)).toEqual({ rows: [1, 2, 3], nextKey: null });
    expect(splitPage([], 3, key)).toEqual({ rows: [], nextKey: null });
  });
});
