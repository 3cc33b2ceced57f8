import { Errors, withField } from '@barback/messaging';
import { linesToDeliver } from '../../domain/ubl/draft.js';
import { loadInvoiceDraft, markDraftConfirmed } from '../../queries/invoice-imports.js';
import { insertSupplier, isDuplicateSupplier } from '../../queries/suppliers.js';
import { defineHandler } from '../types.js';
import { recordDeliveryCore } from './record-delivery.js';

/**
 * An imported draft recorded as a delivery, by recordDelivery's own code:
 * stock in (or out, for a credit note), cost per stock unit, and the purchase
 * VAT of each line on the net the supplier billed. Once: the draft is locked
 * and marked with its delivery in the same transaction, so a second confirm
 * answers 409, as does a number the supplier has had recorded meanwhile.
 */
export default defineHandler({
  action: 'deliveries.confirmInvoice',
  async handle(db, input, ctx) {
    const actor = ctx.actor;
    const draft = await loadInvoiceDraft(db, actor.venueId, input.draftId, true);
    if (!draft) throw withField(new Errors.notFound('Invoice draft'), 'draftId');
    if (draft.confirmed) throw withField(new Errors.conflict('This invoice is already confirmed as a delivery.'), 'draftId');
    const overrides = input.lines ?? [];
    const { lines } = linesToDeliver(draft.lines, overrides);

    let supplierId = draft.supplier?.id;
    if (!supplierId) {
      // Proposed as new at import: confirming is when it joins the venue's suppliers.
      const party = draft.doc.supplier;
      try {
        const created = await insertSupplier(db, actor.venueId, { name: party.name, vatNumber: party.vatNumber, email: null, phone: null });
        ctx.emit('supplier.created', { aggregateId: created.id, data: created });
        supplierId = created.id;
      } catch (err) {
        if (isDuplicateSupplier(err)) throw withField(new Errors.conflict(`There is already a supplier called ${party.name}.`), 'draftId');
        throw err;
      }
    }

    const delivery = await recordDeliveryCore(
      db,
      actor,
      ctx.emit,
      {
        supplierId,
        invoiceNumber: draft.doc.number,
        invoiceDate: draft.doc.issueDate,
        kind: draft.doc.kind,
        lines: lines.map((l) => ({ productId: l.productId, quantity: l.quantityThousandths, unitCostCents: l.unitCostCents, vatRateBp: l.vatRateBp, netCents: l.netCents })),
      },
      (i, field) => {
        const position = lines[i]?.position;
        const index = overrides.findIndex((o) => o.position === position);
        return index >= 0 ? `lines.${index}.${field}` : 'draftId';
      },
    );
    if (!(await markDraftConfirmed(db, actor.venueId, input.draftId, delivery.id, actor.staffId))) {
      throw withField(new Errors.conflict('This invoice is already confirmed as a delivery.'), 'draftId');
    }
    return delivery;
  },
});
