import { Type } from '@sinclair/typebox';
import { VenueSettings } from '../contract/venue.js';
import { defineEvent } from './define.js';

export const venueEvents = {
  'venue.registered': defineEvent({
    version: 1,
    aggregateType: 'venue',
    description: 'A venue was registered with its first manager (who follows as staff.created).',
    data: Type.Object({ name: Type.String() }),
  }),
  'venue.settingsUpdated': defineEvent({
    version: 1,
    aggregateType: 'venue',
    description: 'A manager changed how the venue’s till works; the settings before and after.',
    data: Type.Object({ before: VenueSettings, after: VenueSettings }),
  }),
};
