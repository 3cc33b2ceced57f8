import { Errors, withField } from '@barback/messaging';
import { parseUblDocument } from '../../domain/ubl/invoice.js';
import { insertInvoiceDraft, isInvoiceRecorded, loadInvoiceDraft, matchSupplier } from '../../queries/invoice-imports.js';
import { defineHandler } from '../types.js';

/**
 * A supplier's UBL Invoice or CreditNote read into a draft: nothing is
 * applied (no stock, no cost, no supplier created) until confirmInvoice.
 * A document that cannot be read is refused before anything is written
 * (domain/ubl/), and one whose supplier and number are recorded already
 * answers 409 here rather than at confirmation, so nobody maps its lines for nothing.
 */
export default defineHandler({
  action: 'deliveries.importInvoice',
  async handle(db, input, ctx) {
    const venueId = ctx.actor.venueId;
    const doc = parseUblDocument(input.document);
    const supplier = await matchSupplier(db, venueId, doc.supplier);
    if (supplier && (await isInvoiceRecorded(db, venueId, supplier.id, doc.number))) {
      throw withField(new Errors.conflict(`${doc.number} from ${supplier.name} is already recorded.`), 'document');
    }
    const id = await insertInvoiceDraft(db, { venueId, supplierId: supplier?.id ?? null, doc, document: input.document, staffId: ctx.actor.staffId });
    const draft = await loadInvoiceDraft(db, venueId, id);
    if (!draft) throw new Error('an invoice draft just written could not be read back');
    const { view } = draft;
    ctx.emit('delivery.invoiceImported', {
      aggregateId: id,
      data: {
        draftId: id,
        kind: view.kind,
        invoiceNumber: view.invoiceNumber,
        invoiceDate: view.invoiceDate,
        supplierId: view.supplier.id,
        supplierName: view.supplier.name,
        lineCount: view.lines.length,
        unmappedLines: view.lines.filter((l) => l.mapping === null).length,
        lineExtensionCents: view.documentTotals.lineExtensionCents,
      },
    });
    return view;
  },
});
