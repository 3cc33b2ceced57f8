import { Refund, Sale } from '../contract/sales.js';
import { defineEvent } from './define.js';

export const saleEvents = {
  'sale.recorded': defineEvent({
    version: 1,
    aggregateType: 'sale',
    description: 'A sale was paid (a quick sale or a closed tab); the data is the sale as getSale returns it at that moment.',
    data: Sale,
  }),
  'sale.refunded': defineEvent({
    version: 1,
    aggregateType: 'sale',
    description: 'Lines of a sale were refunded; the aggregate is the sale and the data the refund.',
    data: Refund,
  }),
};
