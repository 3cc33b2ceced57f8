import { Errors } from '@barback/messaging';
import { recordAudit } from '../../queries/audit.js';
import { revokeTill } from '../../queries/tills.js';
import { defineHandler } from '../types.js';

/**
 * Revokes one of the venue's tills: the worker checks the till on every PIN
 * action, so its cookie signs no one in from the next PIN on. Another
 * venue's till answers exactly like an unknown id.
 */
export default defineHandler({
  action: 'staff.revokeTill',
  async handle(db, input, ctx) {
    const actor = ctx.actor;
    const revoked = await revokeTill(db, actor.venueId, input.tillId, actor.staffId);
    if (!revoked) throw new Errors.notFound('Till');
    if (revoked.revokedNow) {
      await recordAudit(db, {
        venueId: actor.venueId,
        staffId: actor.staffId,
        action: 'till.revoke',
        entityType: 'till',
        entityId: revoked.till.id,
        details: { name: revoked.till.name },
      });
      ctx.emit('till.revoked', { aggregateId: revoked.till.id, data: revoked.till });
    }
    return revoked.till;
  },
});
