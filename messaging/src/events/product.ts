import { Type } from '@sinclair/typebox';
import { Nullable, Uuid } from '../contract/common.js';
import { Product } from '../contract/catalogue.js';
import { defineEvent } from './define.js';

/** One serving whose price changed: null before for a serving added, null after for one removed. */
const PriceChange = Type.Object({
  servingId: Uuid,
  name: Type.String(),
  oldPriceCents: Nullable(Type.Integer()),
  newPriceCents: Nullable(Type.Integer()),
});

export const productEvents = {
  'product.created': defineEvent({ version: 1, aggregateType: 'product', description: 'A product was added to the catalogue.', data: Product }),
  'product.updated': defineEvent({
    version: 1,
    aggregateType: 'product',
    description: 'A product was changed; priceChanges lists every serving whose price changed, with the price before and after.',
    data: Type.Object({ product: Product, priceChanges: Type.Array(PriceChange) }),
  }),
  'product.archived': defineEvent({ version: 1, aggregateType: 'product', description: 'A product left the till (kept for history).', data: Product }),
  'product.restored': defineEvent({ version: 1, aggregateType: 'product', description: 'An archived product came back to the till.', data: Product }),
};
