import { currentVatRates } from '../../queries/catalogue.js';
import { defineHandler } from '../types.js';

/**
 * The VAT rates a product form offers: each class's rate today by the venue's
 * calendar and any change already scheduled (reduced: 13.5% until 30 June
 * 2026, 9% from 1 July 2026; migration 0002), read from vat_rates, the table
 * sales are charged from, so the form never states a rate the till does not charge.
 */
export default defineHandler({
  action: 'catalogue.listVatRates',
  async handle(db, _input, ctx) {
    const rows = await currentVatRates(db, ctx.actor.venueId);
    return {
      items: rows.map((r) => ({ vatClass: r.vat_class, rateBp: r.rate_bp, effectiveFrom: r.effective_from, current: r.current })),
    };
  },
});
