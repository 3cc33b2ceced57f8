import { Type } from '@sinclair/typebox';
import { Uuid } from '../contract/common.js';
import { defineEvent } from './define.js';

const Level = {
  productId: Uuid,
  name: Type.String(),
  /** Stock on hand when the crossing was seen, in the product's stock units. */
  stockUnits: Type.Number(),
  parUnits: Type.Number(),
};

export const stockEvents = {
  'stock.belowPar': defineEvent({
    version: 1,
    aggregateType: 'product',
    description: 'Stock on hand fell below the product’s par level; once per crossing. orderUnits = par − on hand, rounded up to whole stock units.',
    data: Type.Object({ ...Level, orderUnits: Type.Integer() }),
  }),
  'stock.backToPar': defineEvent({
    version: 1,
    aggregateType: 'product',
    description: 'Stock on hand came back to the product’s par level or above, or the alert no longer applies (par set to 0, product archived); once per crossing.',
    data: Type.Object(Level),
  }),
};
