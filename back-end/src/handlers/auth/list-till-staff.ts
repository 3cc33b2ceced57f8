import { Errors } from '@barback/messaging';
import { listPinHolders } from '../../queries/pins.js';
import { findActiveTill } from '../../queries/tills.js';
import { defineHandler } from '../types.js';

/** The lock screen of an enrolled till: who can sign in on it with a PIN. */
export default defineHandler({
  action: 'auth.listTillStaff',
  async handle(db, input) {
    const till = await findActiveTill(db, input.tillId, input.tillKeyHash);
    if (!till) throw new Errors.tillNotEnrolled();
    const staff = await listPinHolders(db, till.venueId);
    return {
      till: { id: till.id, name: till.name },
      venue: { id: till.venueId, name: till.venueName, timeZone: till.timeZone },
      staff: staff.map((s) => ({ id: s.id, name: s.name, role: s.role, lockedUntil: s.lockedUntil?.toISOString() ?? null })),
    };
  },
});
