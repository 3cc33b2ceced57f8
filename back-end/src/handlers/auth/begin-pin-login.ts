import { Errors } from '@barback/messaging';
import { pinState } from '../../queries/pins.js';
import { findActiveTill } from '../../queries/tills.js';
import { defineHandler } from '../types.js';

/**
 * First half of a PIN sign-in: the PIN hash for the front end to verify. Only
 * a working till gets an answer, and only about a member of its own venue.
 */
export default defineHandler({
  action: 'auth.beginPinLogin',
  async handle(db, input) {
    const till = await findActiveTill(db, input.tillId, input.tillKeyHash);
    if (!till) throw new Errors.tillNotEnrolled();
    const state = await pinState(db, till.venueId, input.staffId);
    return {
      pinHash: state?.pinHash ?? null,
      lockedUntil: state?.lockedUntil?.toISOString() ?? null,
      timeZone: till.timeZone,
    };
  },
});
