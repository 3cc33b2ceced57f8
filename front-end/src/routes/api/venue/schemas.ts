import { VenueSettings, venueActions } from '@barback/messaging';
import { IdempotencyHeaders, readSecurity, sessionErrors, writeSecurity } from '../common.js';

const tags = ['venue'];

export const getSettingsSchema = {
  operationId: 'getSettings',
  tags,
  summary: "The venue's settings: how its till works (any member of staff may read them).",
  security: readSecurity,
  response: { 200: VenueSettings, ...sessionErrors },
};

export const updateSettingsSchema = {
  operationId: 'updateSettings',
  tags,
  summary: "Change the venue's settings (managers); the change is audited.",
  security: writeSecurity,
  headers: IdempotencyHeaders,
  body: venueActions['venue.updateSettings'].request,
  response: { 200: VenueSettings, ...sessionErrors },
};
