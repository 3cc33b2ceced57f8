import { Errors, withField } from '@barback/messaging';
import { recordAudit } from '../../queries/audit.js';
import { loadRefunds } from '../../queries/till.js';
import { defineHandler } from '../types.js';

/**
 * A refund is its own negative entry linked to the sale: each refunded line
 * gives back exactly what it was charged (gross, VAT and net at the sale's
 * rate), and the sale itself is never edited. Poured drink does not go back
 * into stock.
 */
export default defineHandler({
  action: 'sales.refundSale',
  async handle(db, input, ctx) {
    const actor = ctx.actor!;
    // Locking the sale serialises refunds of it, so a line cannot be refunded twice at once.
    const sale = await db.query("SELECT id FROM tabs WHERE id = $1 AND venue_id = $2 AND status = 'closed' FOR UPDATE", [
      input.saleId,
      actor.venueId,
    ]);
    if (!sale.rowCount) throw new Errors.notFound('Sale');

    const { rows: lines } = await db.query<{ id: string; quantity: number; gross_cents: number; vat_cents: number; net_cents: number; refunded: boolean }>(
      `SELECT l.id, l.quantity, l.gross_cents, l.vat_cents, l.net_cents,
              EXISTS (SELECT 1 FROM refund_lines r WHERE r.tab_line_id = l.id) AS refunded
         FROM tab_lines l WHERE l.tab_id = $1 AND l.voided_at IS NULL ORDER BY l.added_at, l.id`,
      [input.saleId],
    );
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

    const total = chosen.reduce(
      (t, l) => ({ gross: t.gross - l.gross_cents, vat: t.vat - l.vat_cents, net: t.net - l.net_cents }),
      { gross: 0, vat: 0, net: 0 },
    );
    const reason = input.reason.trim();
    const { rows } = await db.query<{ id: string }>(
      `INSERT INTO refunds (venue_id, sale_id, reason, refunded_by, gross_cents, vat_cents, net_cents)
       VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
      [actor.venueId, input.saleId, reason, actor.staffId, total.gross, total.vat, total.net],
    );
    const refundId = rows[0]!.id;
    await db.query(
      `INSERT INTO refund_lines (refund_id, tab_line_id, quantity, gross_cents, vat_cents, net_cents)
       SELECT $1, l.id, l.quantity, -l.gross_cents, -l.vat_cents, -l.net_cents FROM tab_lines l WHERE l.id = ANY($2::uuid[])`,
      [refundId, chosen.map((l) => l.id)],
    );
    await recordAudit(db, {
      venueId: actor.venueId,
      staffId: actor.staffId,
      action: 'sale.refund',
      entityType: 'sale',
      entityId: input.saleId,
      reason,
      details: { refundId, lineIds: chosen.map((l) => l.id), grossCents: total.gross },
    });
    const [refund] = await loadRefunds(db, 'r.id = $1', [refundId]);
    return refund!;
  },
});
