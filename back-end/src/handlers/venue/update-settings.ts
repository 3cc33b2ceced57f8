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
    // A field left out (businessDayStartHour, for callers from before it existed) stays as it is.
    const after = { bartendersMayVoid: input.bartendersMayVoid, businessDayStartHour: input.businessDayStartHour ?? before.businessDayStartHour };
    // Only what changed goes in the audit entry, each as from → to.
    const details: Record<string, { from: unknown; to: unknown }> = {};
    for (const key of ['bartendersMayVoid', 'businessDayStartHour'] as const) {
      if (before[key] !== after[key]) details[key] = { from: before[key], to: after[key] };
    }
    if (!Object.keys(details).length) return before;
    await saveVenueSettings(db, actor.venueId, actor.staffId, after);
    await recordAudit(db, {
      venueId: actor.venueId,
      staffId: actor.staffId,
      action: 'venue.settings',
      entityType: 'venue',
      entityId: actor.venueId,
      details,
    });
    ctx.emit('venue.settingsUpdated', { aggregateId: actor.venueId, data: { before, after } });
    return after;
  },
});
