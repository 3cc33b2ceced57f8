import { Errors, withField } from '@barback/messaging';
import { newRowId } from '../../domain/ids.js';
import { euro, needsNote, shiftFigures } from '../../domain/z-report.js';
import { recordAudit } from '../../queries/audit.js';
import {
  closeShiftRow,
  insertZReport,
  latestZReport,
  lockOpenShift,
  nextZNumber,
  openTabNames,
  shiftTotals,
  staffName,
  type ZReport,
} from '../../queries/shifts.js';
import { defineHandler } from '../types.js';

/**
 * The cash-up: locks the open shift (waiting for the sales committing in
 * it; later ones go to the next shift), refuses while a tab is open, works
 * the figures out with the X report's own function, numbers the Z and keeps
 * it for good.
 *
 * Two managers closing at once: the second waits for the first's lock, then
 * finds no open shift and gets 409 naming the Z just made, not that Z as if
 * it were theirs: their count was not the one recorded, and they should see so.
 */
export default defineHandler({
  action: 'shifts.closeShift',
  async handle(db, input, ctx) {
    const actor = ctx.actor;
    const shift = await lockOpenShift(db, actor.venueId);
    if (!shift) {
      const last = await latestZReport(db, actor.venueId);
      throw new Errors.conflict(
        last
          ? `No shift is open: the last one was closed by ${last.closedBy.name} at ${last.closedAt} (Z ${last.number}).`
          : 'No shift is open: there is nothing to close.',
      );
    }
    const tabs = await openTabNames(db, actor.venueId);
    if (tabs.length) {
      const names = tabs.map((t) => t.name).join(', ');
      throw new Errors.conflict(`Close or pay the open tab${tabs.length > 1 ? 's' : ''} first: ${names}.`);
    }
    const figures = shiftFigures(shift, await shiftTotals(db, shift.id));
    const overShortCents = input.countedCashCents - figures.expectedCashCents;
    const note = input.note?.trim() ?? null;
    const limit = ctx.settings.cashVarianceNoteCents;
    if (needsNote(overShortCents, limit) && !note) {
      const what = overShortCents < 0 ? `short by ${euro(-overShortCents)}` : `over by ${euro(overShortCents)}`;
      throw withField(new Errors.validation(`note is required: the drawer is ${what}, more than ${euro(limit)}.`), 'note');
    }
    const number = await nextZNumber(db, actor.venueId);
    const closedAt = await closeShiftRow(db, shift.id, actor.staffId);
    const z: ZReport = {
      id: newRowId(),
      number,
      ...figures,
      closedAt: closedAt.toISOString(),
      closedBy: { id: actor.staffId, name: await staffName(db, actor.staffId) },
      countedCashCents: input.countedCashCents,
      overShortCents,
      note,
    };
    await insertZReport(db, actor.venueId, z);
    await recordAudit(db, {
      venueId: actor.venueId,
      staffId: actor.staffId,
      action: 'shift.close',
      entityType: 'shift',
      entityId: shift.id,
      ...(note ? { reason: note } : {}),
      details: { zId: z.id, number, expectedCashCents: figures.expectedCashCents, countedCashCents: input.countedCashCents, overShortCents },
    });
    ctx.emit('shift.closed', { aggregateId: shift.id, data: z });
    return z;
  },
});
