import { Errors, withField } from '@barback/messaging';
import { recordAudit } from '../../queries/audit.js';
import { insertRefund, lockSale, refundById, saleById, saleLinesForRefund, saleMethods } from '../../queries/till.js';
import { defineHandler } from '../types.js';

/**
 * A refund is its own negative entry linked to the sale: each refunded line
 * gives back exactly what it was charged (gross, VAT and net at the sale's
 * rate), and the sale itself is never edited. Poured drink does not go back
 * into stock. The money goes back by the method given, or by the sale's
 * own when it was paid one way: a split sale could go back either way, and
 * only a cash refund comes out of the drawer the Z counts, so it must be said.
 */
export default defineHandler({
  action: 'sales.refundSale',
  async handle(db, input, ctx) {
    const actor = ctx.actor;
    await lockSale(db, actor.venueId, input.saleId);
    const lines = await saleLinesForRefund(db, input.saleId);
    let chosen = lines;
    if (input.lineIds) {
      const byId = new Map(lines.map((l) => [l.id, l]));
      chosen = [...new Set(input.lineIds)].map((id, i) => {
        const line = byId.get(id);
        if (!line) throw withField(new Errors.notFound('Sale line'), `lineIds.${i}`);
        if (line.refunded) throw withField(new Errors.alreadyRefunded('That line has already been refunded.'), `lineIds.${i}`);
        return line;
      });
    } else {
      chosen = lines.filter((l) => !l.refunded);
      if (!chosen.length) throw new Errors.alreadyRefunded('Every line of this sale has already been refunded.');
    }

    // After the lines: a sale refunded already says so, rather than asking how to pay back nothing.
    let method = input.method;
    if (!method) {
      const methods = await saleMethods(db, input.saleId);
      if (methods.length !== 1 || !methods[0]) {
        throw withField(new Errors.validation(`method is required: this sale was paid by ${methods.join(' and ')}`), 'method');
      }
      method = methods[0];
    }
    const total = chosen.reduce(
      (t, l) => ({ grossCents: t.grossCents - l.gross_cents, vatCents: t.vatCents - l.vat_cents, netCents: t.netCents - l.net_cents }),
      { grossCents: 0, vatCents: 0, netCents: 0 },
    );
    const reason = input.reason.trim();
    const lineIds = chosen.map((l) => l.id);
    const refundId = await insertRefund(db, actor, { saleId: input.saleId, reason, method, lineIds, ...total });
    // Which sale and what went back, so the audit log reads "Refund: sale of 19:42 (Table 4), 2 lines, €12.40".
    const sale = await saleById(db, actor.venueId, input.saleId);
    const refunded = sale.lines.filter((l) => lineIds.includes(l.id));
    await recordAudit(db, {
      venueId: actor.venueId,
      staffId: actor.staffId,
      action: 'sale.refund',
      entityType: 'sale',
      entityId: input.saleId,
      reason,
      details: {
        refundId,
        method,
        lineIds,
        grossCents: total.grossCents,
        sale: sale.name,
        saleClosedAt: sale.closedAt,
        lines: refunded.map((l) => ({ quantity: l.quantity, description: l.description, grossCents: l.grossCents })),
      },
    });
    const refund = await refundById(db, refundId);
    ctx.emit('sale.refunded', { aggregateId: input.saleId, data: refund });
    return refund;
  },
});
