import { recordAudit } from '../../queries/audit.js';
import { lockVenueSettings, saveVenueSettings } from '../../queries/venue.js';
import { defineHandler } from '../types.js';

/**
 * A manager changes how the venue's till works. Saving the same values again
 * writes nothing to the audit log: only a change is a change.
 */
export default defineHandler({
  action: 'venue.updateSettings',
  async handle(db, input, ctx) {
    const actor = ctx.actor;
    const before = await lockVenueSettings(db, actor.venueId);
    const after = { bartendersMayVoid: input.bartendersMayVoid };
    if (before.bartendersMayVoid === after.bartendersMayVoid) return before;
    await saveVenueSettings(db, actor.venueId, actor.staffId, after);
    await recordAudit(db, {
      venueId: actor.venueId,
      staffId: actor.staffId,
      action: 'venue.settings',
      entityType: 'venue',
      entityId: actor.venueId,
      details: { bartendersMayVoid: { from: before.bartendersMayVoid, to: after.bartendersMayVoid } },
    });
    return after;
  },
});
