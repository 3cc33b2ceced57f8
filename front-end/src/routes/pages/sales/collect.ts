/** A page of a list as listSales answers it: its items, and where the next page starts (null on the last). */
export interface ListPage<T> {
  items: T[];
  nextCursor: string | null;
}

/**
 * Every item of a paged list, following nextCursor from the first page, or
 * null once more than `max` items would be needed: an export is the whole
 * period or nothing, never silently cut short.
 */
export async function everyPage<T>(page: (cursor: string | undefined) => Promise<ListPage<T>>, max: number): Promise<T[] | null> {
  const items: T[] = [];
  for (let cursor: string | undefined; ; ) {
    const list = await page(cursor);
    items.push(...list.items);
    if (items.length > max) return null;
    if (!list.nextCursor) return items;
    // A full page with more after it and nothing left under the limit: the rest cannot fit.
    if (items.length === max) return null;
    cursor = list.nextCursor;
  }
}
