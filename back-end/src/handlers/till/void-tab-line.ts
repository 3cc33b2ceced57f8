import { Errors } from '@barback/messaging';
import { recordAudit } from '../../queries/audit.js';
import { adjustStock } from '../../queries/catalogue.js';
import { lockOpenTab, markLineVoided, tabById, tabLineToVoid } from '../../queries/till.js';
import { defineHandler } from '../types.js';

/** Only before payment; the drink was not poured after all, so its stock goes back. */
export default defineHandler({
  action: 'till.voidTabLine',
  async handle(db, input, ctx) {
    const actor = ctx.actor;
    await lockOpenTab(db, actor.venueId, input.tabId);
    const line = await tabLineToVoid(db, input.tabId, input.lineId);
    if (!line) throw new Errors.notFound('Line');
    if (line.voided) throw new Errors.lineVoided();
    const reason = input.reason.trim();
    await markLineVoided(db, input.lineId, actor.staffId, reason);
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
    return tabById(db, actor.venueId, input.tabId);
  },
});
