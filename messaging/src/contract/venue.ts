import { Type } from '@sinclair/typebox';
import { defineAction } from './define.js';

/** The hour (venue's time) a business day starts: a pub closes after midnight, so 02:00 still belongs to the night before. */
export const BUSINESS_DAY_START_HOUR_DEFAULT = 6;
const BusinessDayStartHour = Type.Integer({
  minimum: 0,
  maximum: 12,
  description: 'The hour, 0–12 in the venue’s time zone, at which one business day ends and the next begins (default 6: 06:00).',
});

/** How a venue's till works, as its managers chose. */
export const VenueSettings = Type.Object({
  /** false: only managers may void a line of an open tab; true (the default): bartenders may too. */
  bartendersMayVoid: Type.Boolean(),
  businessDayStartHour: BusinessDayStartHour,
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
    // The start hour is optional so callers from before it existed still work: left out, it stays as it is.
    request: Type.Object(
      { bartendersMayVoid: Type.Boolean(), businessDayStartHour: Type.Optional(BusinessDayStartHour) },
      { additionalProperties: false },
    ),
    reply: VenueSettings,
  }),
};
