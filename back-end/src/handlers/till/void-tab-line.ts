import { Errors } from '@barback/messaging';
import { recordAudit } from '../../queries/audit.js';
import { adjustStock } from '../../queries/catalogue.js';
import { getTab, lockOpenTab } from '../../queries/till.js';
import { defineHandler } from '../types.js';

/** Only before payment; the drink was not poured after all, so its stock goes back. */
export default defineHandler({
  action: 'till.voidTabLine',
  async handle(db, input, ctx) {
    const actor = ctx.actor!;
    await lockOpenTab(db, actor.venueId, input.tabId);
    const { rows } = await db.query<{ voided: boolean; product_id: string; draw: number; description: string; gross_cents: number }>(
      `SELECT voided_at IS NOT NULL AS voided, product_id, stock_draw_units::float8 AS draw, description, gross_cents
         FROM tab_lines WHERE id = $1 AND tab_id = $2`,
      [input.lineId, input.tabId],
    );
    const line = rows[0];
    if (!line) throw new Errors.notFound('Line');
    if (line.voided) throw new Errors.lineVoided();
    const reason = input.reason.trim();
    await db.query('UPDATE tab_lines SET voided_at = now(), voided_by = $2, void_reason = $3 WHERE id = $1', [
      input.lineId,
      actor.staffId,
      reason,
    ]);
    ctx.withCommit(adjustStock(db, actor.venueId, line.product_id, line.draw));
    await recordAudit(db, {
      venueId: actor.venueId,
      staffId: actor.staffId,
      action: 'tab.void',
      entityType: 'tab',
      entityId: input.tabId,
      reason,
      details: { lineId: input.lineId, description: line.description, grossCents: line.gross_cents },
    });
    return getTab(db, actor.venueId, input.tabId);
  },
});
