import { Type } from '@sinclair/typebox';
import { Uuid } from '../contract/common.js';
import { Delivery } from '../contract/deliveries.js';
import { Supplier } from '../contract/suppliers.js';
import { defineEvent } from './define.js';

export const deliveryEvents = {
  'supplier.created': defineEvent({ version: 1, aggregateType: 'supplier', description: 'A supplier was added.', data: Supplier }),
  'delivery.recorded': defineEvent({
    version: 1,
    aggregateType: 'delivery',
    description:
      'An invoice (stock in) or a credit note (stock out, negative amounts) was recorded: the delivery as getDelivery returns it.',
    data: Delivery,
  }),
  // A product's event, declared here because a delivery is what changes a
  // cost today: an invoice line's cost becomes the product's unitCostCents.
  'product.costChanged': defineEvent({
    version: 1,
    aggregateType: 'product',
    description: 'A product’s cost per stock unit changed (an invoice delivered it at a new cost).',
    data: Type.Object({ productId: Uuid, name: Type.String(), oldUnitCostCents: Type.Integer(), newUnitCostCents: Type.Integer() }),
  }),
};
