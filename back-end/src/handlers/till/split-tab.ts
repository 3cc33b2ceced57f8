import { Errors, withField } from '@barback/messaging';
import { recordAudit } from '../../queries/audit.js';
import { insertTab, lockOpenTab, moveTabLines, tabById } from '../../queries/till.js';
import { defineHandler } from '../types.js';

const NAME_MAX = 60;
const SUFFIX = ' (split)';

/** "Table 4 (split)", cut so that it still fits a tab's name. */
function splitName(name: string): string {
  return `${name.slice(0, NAME_MAX - SUFFIX.length).trimEnd()}${SUFFIX}`;
}

/**
 * Splits a bill by what each person had: the chosen lines move, as they are
 * (price, stock drawn, time rung), to a new open tab, which is then paid like
 * any other; the rest stays on the tab. One transaction, so a line is never
 * on both tabs or on neither. The lines must be open lines of this tab, and
 * at least one must stay: paying everything is paying the tab.
 */
export default defineHandler({
  action: 'till.splitTab',
  async handle(db, input, ctx) {
    const actor = ctx.actor;
    await lockOpenTab(db, actor.venueId, input.tabId);
    const tab = await tabById(db, actor.venueId, input.tabId);
    const lines = new Map(tab.lines.map((l) => [l.id, l]));
    input.lineIds.forEach((id, i) => {
      const line = lines.get(id);
      if (!line) throw withField(new Errors.notFound('Line'), `lineIds.${i}`);
      if (line.voided) throw withField(new Errors.lineVoided(), `lineIds.${i}`);
    });
    const open = tab.lines.filter((l) => !l.voided).length;
    if (input.lineIds.length >= open) {
      throw withField(
        new Errors.validation('Leave at least one line on the tab: to pay for everything, pay the tab itself.'),
        'lineIds',
      );
    }
    const name = input.name?.trim() || splitName(tab.name);
    const newTabId = await insertTab(db, actor, name);
    await moveTabLines(db, input.tabId, newTabId, input.lineIds);
    const moved = input.lineIds.map((id) => lines.get(id)).filter((l) => l !== undefined);
    await recordAudit(db, {
      venueId: actor.venueId,
      staffId: actor.staffId,
      action: 'tab.split',
      entityType: 'tab',
      entityId: input.tabId,
      details: {
        from: tab.name,
        to: name,
        toTabId: newTabId,
        lines: moved.map((l) => ({ lineId: l.id, description: l.description, quantity: l.quantity, grossCents: l.grossCents })),
        grossCents: moved.reduce((sum, l) => sum + l.grossCents, 0),
      },
    });
    const newTab = await tabById(db, actor.venueId, newTabId);
    ctx.emit('tab.split', {
      aggregateId: input.tabId,
      // What stays on the tab: its total before, less what moved (voided lines never move, and count for nothing).
      data: { fromTabId: input.tabId, fromGrossCents: tab.grossCents - newTab.grossCents, tab: newTab },
    });
    return newTab;
  },
});
