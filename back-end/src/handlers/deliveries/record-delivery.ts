import { Errors, withField } from '@barback/messaging';
import { deliveryLineAmounts, thousandths } from '../../domain/stock-control.js';
import { recordAudit } from '../../queries/audit.js';
import { deliveryById, insertDelivery, type Delivery, isDuplicateInvoice, productsForDelivery, setUnitCost } from '../../queries/deliveries.js';
import { appendStockMoves } from '../../queries/stock-ledger.js';
import { supplierName } from '../../queries/suppliers.js';
import type { Emit } from '../../outbox/emitter.js';
import { defineHandler, type ActorRecord, type Queryable } from '../types.js';

/** Thousandths of a unit as the decimal text Postgres reads exactly: 12345n → "12.345". */
function decimal(thousandthsOfUnit: bigint, negative: boolean): string {
  const text = thousandthsOfUnit.toString().padStart(4, '0');
  return `${negative ? '-' : ''}${text.slice(0, -3)}.${text.slice(-3)}`;
}

/** A line as the core records it: stock units in thousandths; netCents when the document states it (an e-invoice). */
export interface CoreDeliveryLine {
  productId: string;
  quantity: bigint;
  unitCostCents: number;
  vatRateBp?: number | undefined;
  /** The line's net as a supplier's e-invoice states it; otherwise round(quantity × unitCostCents). */
  netCents?: number | undefined;
}

export interface CoreDelivery {
  supplierId: string;
  invoiceNumber: string;
  invoiceDate: string;
  kind: 'invoice' | 'creditNote';
  lines: CoreDeliveryLine[];
}

/**
 * An invoice or a credit note from a supplier. Each line is priced on its own
 * (domain/stock-control.ts) and the totals are sums of lines; the stock moves
 * in (invoice) or out (credit note) at the moment it is recorded, appended
 * like a sale's draw (queries/stock-ledger.ts). An invoice line's cost
 * becomes the product's unitCostCents: audited as a product change, announced
 * as product.costChanged. Shared by recordDelivery and confirmInvoice (an
 * e-invoice records exactly what a typed one would); `lineField` names a
 * line's field in a refusal.
 */
export async function recordDeliveryCore(
  db: Queryable,
  actor: ActorRecord,
  emit: Emit<'delivery.recorded' | 'product.costChanged'>,
  input: CoreDelivery,
  lineField: (index: number, field: string) => string = (i, f) => `lines.${i}.${f}`,
): Promise<Delivery> {
  const kind = input.kind;
  const credit = kind === 'creditNote';
  const supplier = await supplierName(db, actor.venueId, input.supplierId);
  if (supplier === null) throw withField(new Errors.notFound('Supplier'), 'supplierId');

  const quantities = input.lines.map((l) => l.quantity);
  const products = await productsForDelivery(db, actor.venueId, [...new Set(input.lines.map((l) => l.productId))], input.invoiceDate);
  const lines = input.lines.map((l, i) => {
    const product = products.get(l.productId);
    if (!product) throw withField(new Errors.notFound('Product'), lineField(i, 'productId'));
    const vatRateBp = l.vatRateBp ?? product.rate_bp;
    const quantity = quantities[i] ?? 0n;
    return {
      productId: l.productId,
      quantity: decimal(quantity, false),
      unitCostCents: l.unitCostCents,
      vatRateBp,
      // A stated net is one unit at that price: the same rounding of its VAT, and the net exactly as the supplier billed it.
      ...(l.netCents === undefined ? deliveryLineAmounts(quantity, l.unitCostCents, vatRateBp, credit) : deliveryLineAmounts(1000n, l.netCents, vatRateBp, credit)),
    };
  });
  const netCents = lines.reduce((t, l) => t + l.netCents, 0);
  const vatCents = lines.reduce((t, l) => t + l.vatCents, 0);

  let written;
  try {
    written = await insertDelivery(db, {
      venueId: actor.venueId,
      supplierId: input.supplierId,
      invoiceNumber: input.invoiceNumber,
      invoiceDate: input.invoiceDate,
      kind,
      netCents,
      vatCents,
      grossCents: netCents + vatCents,
      staffId: actor.staffId,
      lines,
    });
  } catch (err) {
    if (isDuplicateInvoice(err)) {
      throw withField(new Errors.conflict(`${input.invoiceNumber} from ${supplier} is already recorded.`), 'invoiceNumber');
    }
    throw err;
  }

  await appendStockMoves(db, {
    venueId: actor.venueId,
    cause: credit ? 'credit_note' : 'delivery',
    refId: written.id,
    staffId: actor.staffId,
    productIds: lines.map((l) => l.productId),
    units: quantities.map((q) => decimal(q, credit)),
  });

  if (!credit) {
    // The last line of a product sets its cost: an invoice lists a product once, and if twice, the later price is the newer.
    const costs = new Map(lines.map((l) => [l.productId, l.unitCostCents]));
    for (const [productId, newUnitCostCents] of costs) {
      const product = products.get(productId);
      if (!product || product.unit_cost_cents === newUnitCostCents) continue;
      await setUnitCost(db, actor.venueId, productId, newUnitCostCents);
      await recordAudit(db, {
        venueId: actor.venueId,
        staffId: actor.staffId,
        action: 'product.update',
        entityType: 'product',
        entityId: productId,
        reason: `Delivered on invoice ${input.invoiceNumber} from ${supplier}`,
        details: { product: product.name, unitCostCents: { from: product.unit_cost_cents, to: newUnitCostCents }, deliveryId: written.id },
      });
      emit('product.costChanged', {
        aggregateId: productId,
        data: { productId, name: product.name, oldUnitCostCents: product.unit_cost_cents, newUnitCostCents },
      });
    }
  }

  const delivery = await deliveryById(db, actor.venueId, written.id);
  if (!delivery) throw new Error('a delivery just written could not be read back');
  emit('delivery.recorded', { aggregateId: delivery.id, data: delivery });
  return delivery;
}

export default defineHandler({
  action: 'deliveries.recordDelivery',
  async handle(db, input, ctx) {
    return recordDeliveryCore(db, ctx.actor, ctx.emit, {
      supplierId: input.supplierId,
      invoiceNumber: input.invoiceNumber.trim(),
      invoiceDate: input.invoiceDate,
      kind: input.kind ?? 'invoice',
      lines: input.lines.map((l, i) => ({
        productId: l.productId,
        quantity: thousandths(l.quantity, `lines.${i}.quantity`),
        unitCostCents: l.unitCostCents,
        vatRateBp: l.vatRateBp,
      })),
    });
  },
});
