import { Errors, withField } from '@barback/messaging';
import { recordAudit } from '../../queries/audit.js';
import { insertTill } from '../../queries/tills.js';
import { defineHandler } from '../types.js';

/**
 * Enrols the manager's browser as a till of the venue. The front end made the
 * device secret and sends only its hash, so the reply stored for repeats
 * (processed_requests) holds nothing that could sign in.
 */
export default defineHandler({
  action: 'staff.enrolTill',
  async handle(db, input, ctx) {
    const actor = ctx.actor;
    const name = input.name.trim();
    const till = await insertTill(db, { venueId: actor.venueId, name, keyHash: input.keyHash, createdBy: actor.staffId });
    if (!till) throw withField(new Errors.nameTaken(`A till called ${name} is already enrolled. Choose another name, or revoke that one first.`), 'name');
    await recordAudit(db, {
      venueId: actor.venueId,
      staffId: actor.staffId,
      action: 'till.enrol',
      entityType: 'till',
      entityId: till.id,
      details: { name: till.name },
    });
    ctx.emit('till.enrolled', { aggregateId: till.id, data: till });
    return till;
  },
});
