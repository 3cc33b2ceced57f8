import { Type } from '@sinclair/typebox';
import { defineAction } from './define.js';

/** How a venue's till works, as its managers chose. */
export const VenueSettings = Type.Object({
  /** false: only managers may void a line of an open tab; true (the default): bartenders may too. */
  bartendersMayVoid: Type.Boolean(),
});

export const venueActions = {
  /** Every member of staff reads them: the till shows a bartender what they may do. */
  'venue.getSettings': defineAction({
    kind: 'read',
    auth: 'session',
    request: Type.Object({}, { additionalProperties: false }),
    reply: VenueSettings,
  }),
  /** Managers only; the change goes in the audit log with the value before and after. */
  'venue.updateSettings': defineAction({
    kind: 'write',
    auth: 'session',
    role: 'manager',
    request: Type.Object({ bartendersMayVoid: Type.Boolean() }, { additionalProperties: false }),
    reply: VenueSettings,
  }),
};
