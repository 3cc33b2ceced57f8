import { Type } from '@sinclair/typebox';
import { Nullable, Uuid } from '../contract/common.js';
import { Delivery, DeliveryKind } from '../contract/deliveries.js';
import { Supplier, SupplierItemMapping } from '../contract/suppliers.js';
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
  'delivery.invoiceImported': defineEvent({
    version: 1,
    aggregateType: 'invoiceDraft',
    description: 'A supplier’s e-invoice or credit note (UBL) was imported as a draft; nothing is applied until it is confirmed.',
    data: Type.Object({
      draftId: Uuid,
      kind: DeliveryKind,
      invoiceNumber: Type.String(),
      invoiceDate: Type.String({ format: 'date' }),
      supplierId: Nullable(Uuid),
      supplierName: Type.String(),
      lineCount: Type.Integer(),
      unmappedLines: Type.Integer(),
      lineExtensionCents: Type.Integer(),
    }),
  }),
  'supplier.itemMapped': defineEvent({
    version: 1,
    aggregateType: 'supplier',
    description: 'A supplier’s item code or GTIN was mapped to a product, with its pack conversion; their next invoice maps itself.',
    data: SupplierItemMapping,
  }),
};
