import { SerializedReply, type ReplyOf } from '@barback/messaging';
import { findCatalogueVersion } from '../queries/catalogue.js';
import type { Queryable } from '../types.js';

type Product = ReplyOf<'catalogue.listProducts'>['items'][number];
type ListReply = SerializedReply<'catalogue.listProducts'>;

/**
 * Venues whose catalogue one worker keeps; the least recently listed goes
 * first. A 60-product catalogue and its reply take about 100 KB.
 */
export const MAX_VENUES = 100;

interface Kept {
  version: string;
  /** Every product, archived ones included: the stock statement counts them all. */
  products: Product[];
  /** The stock the replies below were written with, as Postgres printed it. */
  stockText: string | null;
  /** The till's list (archived products left out), and the whole catalogue; each written when first asked for. */
  replies: { sold: ListReply | null; all: ListReply | null };
}

/** Which list a caller asked for: what the till sells, or everything, archived products included. */
export interface ListOptions {
  includeArchived?: boolean | undefined;
}

/**
 * Each venue's catalogue as last read, under the version it was read at, and
 * the last reply written from it. A till lists the catalogue on every screen
 * while its products change a few times a week, and building that list (a
 * join and a JSON aggregate per product) was most of a read's database time.
 * Stock changes with every sale, so it is never trusted from memory: each list
 * reads the version and the stock, reloads the catalogue only when the version
 * has moved, and writes a new reply only when either has.
 *
 * Reads see their own writes as before: both statements run on the pool the
 * read was routed to, which has replayed the caller's last write. The reply
 * always carries the stock of the version statement; a reload that already
 * sees a newer catalogue is kept under the older version and replaced on the
 * next list, never served stale.
 */
export class CatalogueCache {
  private readonly venues = new Map<string, Kept>();

  constructor(
    private readonly load: (db: Queryable, venueId: string) => Promise<Product[]>,
    private readonly roundStock: (units: number) => number,
  ) {}

  async list(db: Queryable, venueId: string, options: ListOptions = {}): Promise<ListReply> {
    const which = options.includeArchived ? 'all' : 'sold';
    const { version, stock } = await findCatalogueVersion(db, venueId);
    let kept = this.venues.get(venueId);
    this.venues.delete(venueId);
    if (kept?.version !== version) {
      kept = { version, products: await this.load(db, venueId), stockText: null, replies: { sold: null, all: null } };
    }
    if (kept.stockText !== stock) {
      kept.stockText = null;
      kept.replies = { sold: null, all: null };
    }
    let reply = kept.replies[which];
    if (!reply) {
      const items = withStock(kept.products, JSON.parse(stock) as Record<string, number>, this.roundStock);
      // The catalogue moved between the two statements: answer from a fresh read and keep nothing.
      if (!items) return SerializedReply.of('catalogue.listProducts', { items: listed(await this.load(db, venueId), which) });
      kept.stockText = stock;
      reply = SerializedReply.of('catalogue.listProducts', { items: listed(items, which) });
      kept.replies[which] = reply;
    }
    this.venues.set(venueId, kept);
    if (this.venues.size > MAX_VENUES) {
      const [oldest] = this.venues.keys();
      if (oldest !== undefined) this.venues.delete(oldest);
    }
    return reply;
  }
}

/** The till's list leaves archived products out; the whole catalogue keeps them, in the same order. */
function listed(products: Product[], which: 'sold' | 'all'): Product[] {
  return which === 'all' ? products : products.filter((p) => !p.archived);
}

/** The kept products with the stock given, or null when the two lists disagree. */
function withStock(products: readonly Product[], stock: Record<string, number>, round: (units: number) => number): Product[] | null {
  if (Object.keys(stock).length !== products.length) return null;
  const items: Product[] = [];
  for (const product of products) {
    const units = stock[product.id];
    if (units === undefined) return null;
    items.push({ ...product, stockUnits: round(units) });
  }
  return items;
}
