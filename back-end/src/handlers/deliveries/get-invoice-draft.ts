import { Errors, withField } from '@barback/messaging';
import { loadInvoiceDraft } from '../../queries/invoice-imports.js';
import { defineHandler } from '../types.js';

/** An imported draft as it stands now: mappings made since the import show, and the checks with them. */
export default defineHandler({
  action: 'deliveries.getInvoiceDraft',
  async handle(db, input, ctx) {
    const draft = await loadInvoiceDraft(db, ctx.actor.venueId, input.id);
    if (!draft) throw withField(new Errors.notFound('Invoice draft'), 'id');
    return draft.view;
  },
});
