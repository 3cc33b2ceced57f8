import { Errors, withField } from '@barback/messaging';
import { insertStocktake, isOneOpenViolation, lastClosedCountedAt, loadStocktake, openStocktakeId } from '../../queries/stocktakes.js';
import { defineHandler } from '../types.js';

/**
 * One open stocktake per venue (409 otherwise: the partial unique index
 * settles two managers starting at once). countedAt defaults to now; it may
 * be earlier (the count was taken before the shift) but not in the future,
 * and comes after the last closed stocktake's, so variance periods never
 * overlap.
 */
export default defineHandler({
  action: 'stocktakes.startStocktake',
  async handle(db, input, ctx) {
    const actor = ctx.actor;
    const countedAt = input.countedAt === undefined ? null : new Date(input.countedAt);
    // A minute's slack for a tablet's clock that runs a little ahead.
    if (countedAt && countedAt.getTime() > Date.now() + 60_000) {
      throw withField(new Errors.validation('countedAt must not be in the future.'), 'countedAt');
    }
    if (await openStocktakeId(db, actor.venueId)) throw new Errors.conflict('A stocktake is already open: close it before starting another.');
    const last = await lastClosedCountedAt(db, actor.venueId);
    if (last && (countedAt ?? new Date()).getTime() <= last.getTime()) {
      throw withField(new Errors.validation(`countedAt must be after the last stocktake's (${last.toISOString()}).`), 'countedAt');
    }
    let id: string;
    try {
      id = await insertStocktake(db, actor.venueId, countedAt, actor.staffId);
    } catch (err) {
      if (isOneOpenViolation(err)) throw new Errors.conflict('A stocktake is already open: close it before starting another.');
      throw err;
    }
    const stocktake = await loadStocktake(db, actor.venueId, id);
    if (!stocktake) throw new Error('a stocktake just started was not found');
    ctx.emit('stocktake.started', { aggregateId: id, data: stocktake });
    return stocktake;
  },
});
