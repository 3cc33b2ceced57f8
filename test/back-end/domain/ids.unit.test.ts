/** The ids a worker gives the rows of a sale (back-end/src/domain/ids.ts). */
import { describe, expect, it } from '@jest/globals';
import { newRowId } from '../../../back-end/src/domain/ids.js';

describe('newRowId', () => {
  it('is a version 7 uuid whose first 48 bits are the time in ms', () => {
    const before = Date.now();
    const id = newRowId();
    const after = Date.now();
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const ms = parseInt(id.replace(/-/g, '').slice(0, 12), 16);
    expect(ms).toBeGreaterThanOrEqual(before);
    expect(ms).toBeLessThanOrEqual(after);
  });

  it('sorts in the order the ids were made, so inserts go beside the last', () => {
    const ids = Array.from({ length: 1000 }, () => newRowId());
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
