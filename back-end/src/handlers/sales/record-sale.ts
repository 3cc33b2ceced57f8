import { Errors } from '@barback/messaging';
import { newRowId } from '../../domain/ids.js';
import { lineAmounts, sumAmounts } from '../../domain/money.js';
import { checkPaymentsMatchTotal, lineDescription } from '../../domain/sale.js';
import { drawPerServing } from '../../domain/catalogue.js';
import { insertQuickSale, servingsForQuickSale, type QuickSaleRows } from '../../queries/quick-sale.js';
import { defineHandler } from '../types.js';

/**
 * A quick sale: a tab opened, rung up and paid in one transaction, so nothing
 * is left half done. Two statements whatever its size: the servings (with the
 * VAT rate now in force) are read, the amounts worked out here, and the tab,
 * lines, payments and stock draws written at once, with the COMMIT. The reply
 * is built from what is in hand instead of read back (decision 7 in
 * docs/architecture.md).
 */
export default defineHandler({
  action: 'sales.recordSale',
  async handle(db, input, ctx) {
    const actor = ctx.actor;
    const servings = await servingsForQuickSale(db, actor.venueId, [...new Set(input.lines.map((l) => l.servingId))]);
    const lines = input.lines.map((l) => {
      const serving = servings.get(l.servingId);
      if (!serving) throw new Errors.notFound('Serving');
      return {
        id: newRowId(),
        servingId: l.servingId,
        productId: serving.product_id,
        description: lineDescription(serving.product_name, serving.serving_name),
        productName: serving.product_name,
        servingName: serving.serving_name,
        quantity: l.quantity,
        unitPriceCents: serving.price_cents,
        vatClass: serving.vat_class,
        vatRateBp: serving.rate_bp,
        drawUnits: drawPerServing(serving.ml, serving.unit_ml) * l.quantity,
        ...lineAmounts(serving.price_cents, l.quantity, serving.rate_bp),
      };
    });
    const total = sumAmounts(lines);
    checkPaymentsMatchTotal(input.payments, total.grossCents);
    const sale: QuickSaleRows = {
      id: newRowId(),
      name: input.name?.trim() || 'Quick sale',
      lines,
      payments: input.payments.map((p) => ({ id: newRowId(), method: p.method, amountCents: p.amountCents })),
      ...total,
    };
    ctx.withCommit(insertQuickSale(db, actor, sale));

    // The transaction's start, as the database wrote it into closed_at: every serving row carries it.
    const [anyServing] = servings.values();
    if (!anyServing) throw new Error('a sale without lines passed the contract (minItems: 1)');
    const at = anyServing.now.toISOString();
    const recorded = {
      id: sale.id,
      name: sale.name,
      openedAt: at,
      closedAt: at,
      closedBy: { id: actor.staffId, name: actor.name },
      lines: lines.map((l) => ({
        id: l.id,
        servingId: l.servingId,
        productId: l.productId,
        description: l.description,
        quantity: l.quantity,
        unitPriceCents: l.unitPriceCents,
        grossCents: l.grossCents,
        vatRateBp: l.vatRateBp,
        vatCents: l.vatCents,
        netCents: l.netCents,
        refunded: false,
        productName: l.productName,
        servingName: l.servingName,
      })),
      payments: sale.payments,
      refunds: [],
      voids: [],
      ...total,
    };
    ctx.emit('sale.recorded', { aggregateId: sale.id, data: recorded });
    return recorded;
  },
});
