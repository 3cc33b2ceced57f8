import { CatalogueCache } from '../../catalogue-cache/catalogue-cache.js';
import { roundStockUnits } from '../../domain/catalogue.js';
import { listProducts } from '../../queries/catalogue.js';
import { defineHandler } from '../types.js';

/** This process's catalogues (in-process test workers share it: each list checks the version and stock anyway). */
const catalogues = new CatalogueCache(listProducts, roundStockUnits);

/**
 * The venue's catalogue with its stock on hand now, as the reply; see
 * CatalogueCache for what is kept between calls. Archived products only when
 * asked for: the till lists what is sold.
 */
export default defineHandler({
  action: 'catalogue.listProducts',
  async handle(db, input, ctx) {
    return catalogues.list(db, ctx.actor.venueId, { includeArchived: input.includeArchived });
  },
});
