import { Stocktake, StocktakeCount } from '../contract/stocktakes.js';
import { defineEvent } from './define.js';

export const stocktakeEvents = {
  'stocktake.started': defineEvent({
    version: 1,
    aggregateType: 'stocktake',
    description: 'A stocktake was started: the reply of startStocktake (nothing counted yet).',
    data: Stocktake,
  }),
  'stocktake.counted': defineEvent({
    version: 1,
    aggregateType: 'stocktake',
    description: 'A product was counted (again: the count replaces the one before): the reply of recordCount.',
    data: StocktakeCount,
  }),
  'stocktake.closed': defineEvent({
    version: 1,
    aggregateType: 'stocktake',
    description: 'A stocktake was closed and stock set to its counts as of countedAt: the reply of closeStocktake, each count with the stock expected.',
    data: Stocktake,
  }),
};
