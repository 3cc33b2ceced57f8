import { Errors } from '@barback/messaging';
import { recordAudit } from '../../queries/audit.js';
import { adjustStock } from '../../queries/catalogue.js';
import { lockOpenTab, markLineVoided, tabById, tabLineToVoid } from '../../queries/till.js';
import { venueSettings } from '../../queries/venue.js';
import { defineHandler } from '../types.js';

/**
 * Only before payment; the drink was not poured after all, so its stock goes
 * back. A venue can keep voids to its managers (venue.updateSettings): a
 * bartender's void is then refused, whatever the page showed.
 */
export default defineHandler({
  action: 'till.voidTabLine',
  async handle(db, input, ctx) {
    const actor = ctx.actor;
    if (actor.role !== 'manager' && !(await venueSettings(db, actor.venueId)).bartendersMayVoid) {
      throw new Errors.forbidden('Only a manager can void a line at this venue: ask a manager to void it.');
    }
    await lockOpenTab(db, actor.venueId, input.tabId);
    const line = await tabLineToVoid(db, input.tabId, input.lineId);
    if (!line) throw new Errors.notFound('Line');
    if (line.voided) throw new Errors.lineVoided();
    const reason = input.reason.trim();
    await markLineVoided(db, input.lineId, actor.staffId, reason);
    ctx.withCommit(adjustStock(db, actor.venueId, line.product_id, line.draw));
    const tab = await tabById(db, actor.venueId, input.tabId);
    // The tab's name and the quantity, so the audit log reads "Void: Table 4, 1 × Guinness (Pint) €6.20".
    const voided = tab.lines.find((l) => l.id === input.lineId);
    await recordAudit(db, {
      venueId: actor.venueId,
      staffId: actor.staffId,
      action: 'tab.void',
      entityType: 'tab',
      entityId: input.tabId,
      reason,
      details: { lineId: input.lineId, tab: tab.name, quantity: voided?.quantity ?? null, description: line.description, grossCents: line.gross_cents },
    });
    if (!voided) throw new Error('a line vanished from its tab inside its own transaction');
    ctx.emit('tab.lineVoided', { aggregateId: tab.id, data: { tabId: tab.id, line: voided, tabGrossCents: tab.grossCents } });
    return tab;
  },
});
