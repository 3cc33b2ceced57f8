/**
 * everyPage (front-end/src/routes/pages/sales/collect.ts), the CSV export's
 * walk through listSales: every page followed to the last, and null (the
 * export refused) as soon as the range holds more than the limit, never a
 * file cut short. The pages are made here: the walk is pure logic.
 */
import { describe, expect, it } from '@jest/globals';
import { everyPage, type ListPage } from '../../../../../front-end/src/routes/pages/sales/collect.js';

/** A list of `total` numbered items served `size` at a time, recording which cursors were asked for. */
function list(total: number, size: number) {
  const asked: Array<string | undefined> = [];
  const page = async (cursor: string | undefined): Promise<ListPage<number>> => {
    asked.push(cursor);
    const start = cursor === undefined ? 0 : Number(cursor);
    const items = Array.from({ length: Math.max(0, Math.min(size, total - start)) }, (_, i) => start + i);
    return { items, nextCursor: start + size < total ? String(start + size) : null };
  };
  return { page, asked };
}

describe('everyPage', () => {
  it('follows nextCursor to the last page, in order', async () => {
    const l = list(1_250, 500);
    const items = await everyPage(l.page, 20_000);
    expect(items).toEqual(Array.from({ length: 1_250 }, (_, i) => i));
    expect(l.asked).toEqual([undefined, '500', '1000']);
  });

  it('takes exactly the limit, and refuses one more without reading past it', async () => {
    expect(await everyPage(list(1_000, 500).page, 1_000)).toHaveLength(1_000);
    const over = list(1_001, 500);
    expect(await everyPage(over.page, 1_000)).toBeNull();
    expect(over.asked).toEqual([undefined, '500']);
    // A limit that is not a whole number of pages: stopped on the page that passes it.
    expect(await everyPage(list(1_001, 500).page, 700)).toBeNull();
    expect(await everyPage(list(700, 500).page, 700)).toHaveLength(700);
  });

  it('answers an empty list with no items', async () => {
    expect(await everyPage(list(0, 500).page, 10)).toEqual([]);
  });
});
