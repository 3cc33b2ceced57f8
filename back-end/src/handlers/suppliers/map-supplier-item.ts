import { Errors, withField } from '@barback/messaging';
import { decimalText } from '../../domain/ubl/decimal.js';
import { perItemThousandths } from '../../domain/ubl/draft.js';
import { isVenueProduct, upsertSupplierItemMapping } from '../../queries/invoice-imports.js';
import { supplierName } from '../../queries/suppliers.js';
import { defineHandler } from '../types.js';

/**
 * Remembers which product a supplier's item is, by its item code or (for
 * lines without one) its GTIN, with the pack conversion; the supplier's next
 * invoice maps itself. Mapping the same code again replaces the mapping.
 */
export default defineHandler({
  action: 'suppliers.mapSupplierItem',
  async handle(db, input, ctx) {
    const venueId = ctx.actor.venueId;
    const code = input.supplierItemCode?.trim() ?? null;
    const gtin = input.gtin ?? null;
    if ((code === null) === (gtin === null)) {
      throw withField(new Errors.validation('Give exactly one of supplierItemCode or gtin.'), code === null ? 'supplierItemCode' : 'gtin');
    }
    const perItem = perItemThousandths(input.stockUnitsPerItem, 'stockUnitsPerItem');
    if ((await supplierName(db, venueId, input.supplierId)) === null) throw withField(new Errors.notFound('Supplier'), 'supplierId');
    if (!(await isVenueProduct(db, venueId, input.productId))) throw withField(new Errors.notFound('Product'), 'productId');
    const mapping = await upsertSupplierItemMapping(db, {
      venueId,
      supplierId: input.supplierId,
      supplierItemCode: code,
      gtin,
      productId: input.productId,
      perItem: decimalText(perItem, 3),
      staffId: ctx.actor.staffId,
    });
    ctx.emit('supplier.itemMapped', { aggregateId: input.supplierId, data: mapping });
    return mapping;
  },
});
