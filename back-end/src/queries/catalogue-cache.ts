import type { Queryable } from '../handlers/types.js';
import { statement } from './statement.js';

/** Venues whose catalogue one worker keeps; the least recently listed goes first. */
const MAX_VENUES = 200;

interface Cached<T> {
  version: string;
  products: T[];
}

interface VersionRow {
  version: string;
  stock: Record<string, number>;
}

// One round trip and two index lookups, whatever the catalogue holds: the
// version (see migration 0004) and every product's stock on hand.
const versionStatement = statement(
  'catalogue-version-and-stock',
  `SELECT COALESCE((SELECT version FROM catalogue_versions WHERE venue_id = $1), 0)::text AS version,
          COALESCE((SELECT json_object_agg(id, stock_units::float8) FROM products WHERE venue_id = $1), '{}'::json) AS stock`,
);

/**
 * Each venue's catalogue as last read, under the version it was read at. A
 * till lists the catalogue on every screen while its products change a few
 * times a week, and building that list (a join and a JSON aggregate per
 * product) was most of a read's database time. Stock changes with every sale,
 * so it is never kept: each list reads the version and the stock, and reloads
 * the catalogue only when the version has moved.
 *
 * Reads see their own writes as before: both statements run on the pool the
 * read was routed to, which has replayed the caller's last write. A reload
 * may see a newer catalogue than the version it read; it is then kept under
 * the older version and replaced on the next list, never served stale.
 */
export class CatalogueCache<T extends { id: string; stockUnits: number }> {
  private readonly venues = new Map<string, Cached<T>>();

  constructor(
    private readonly load: (db: Queryable, venueId: string) => Promise<T[]>,
    private readonly roundStock: (units: number) => number,
  ) {}

  async list(db: Queryable, venueId: string): Promise<T[]> {
    const { rows } = await db.query<VersionRow>(versionStatement([venueId]));
    const { version, stock } = rows[0]!;
    const cached = this.venues.get(venueId);
    if (cached?.version === version) {
      const items = withStock(cached.products, stock, this.roundStock);
      if (items) {
        this.venues.delete(venueId);
        this.venues.set(venueId, cached);
        return items;
      }
    }
    const products = await this.load(db, venueId);
    this.venues.delete(venueId);
    this.venues.set(venueId, { version, products });
    if (this.venues.size > MAX_VENUES) this.venues.delete(this.venues.keys().next().value!);
    return products;
  }
}

/** The kept products with today's stock, or null when the two lists disagree (then the catalogue is read again). */
function withStock<T extends { id: string; stockUnits: number }>(
  products: readonly T[],
  stock: Record<string, number>,
  round: (units: number) => number,
): T[] | null {
  if (Object.keys(stock).length !== products.length) return null;
  const items: T[] = [];
  for (const product of products) {
    const units = stock[product.id];
    if (units === undefined) return null;
    items.push({ ...product, stockUnits: round(units) });
  }
  return items;
}
