import { Errors } from '@barback/messaging';
import { lineAmounts, sumAmounts } from '../../domain/money.js';
import { checkPaymentsMatchTotal } from '../../domain/sale.js';
import { linesToCharge, lockOpenTab, recordTabSale, saleById } from '../../queries/till.js';
import { defineHandler } from '../types.js';

/**
 * Records the sale: every line not voided gets the VAT rate in force now (by
 * the venue's calendar), its VAT and net; payments must add up to the total
 * exactly. A second Pay on the same tab finds it closed (409); a replay with
 * the same key gets the first sale back.
 */
export default defineHandler({
  action: 'till.closeTab',
  async handle(db, input, ctx) {
    const actor = ctx.actor;
    await lockOpenTab(db, actor.venueId, input.tabId);
    const lines = await linesToCharge(db, input.tabId);
    if (!lines.length) throw new Errors.emptyTab();
    const charged = lines.map((l) => ({ id: l.id, rateBp: l.rate_bp, ...lineAmounts(l.unit_price_cents, l.quantity, l.rate_bp) }));
    const total = sumAmounts(charged);
    checkPaymentsMatchTotal(input.payments, total.grossCents);
    await recordTabSale(db, actor, input.tabId, charged, total, input.payments);
    const sale = await saleById(db, actor.venueId, input.tabId);
    ctx.emit('tab.closed', { aggregateId: input.tabId, data: { tabId: input.tabId, saleId: sale.id, grossCents: sale.grossCents } });
    ctx.emit('sale.recorded', { aggregateId: sale.id, data: sale });
    return sale;
  },
});
