import type { ReplyOf } from '@barback/messaging';
import type { Queryable } from '../types.js';

export type VenueSettings = ReplyOf<'venue.getSettings'>;

/** What a venue with no row in venue_settings has (migration 0008): the behaviour from before settings existed. */
const DEFAULTS: VenueSettings = { bartendersMayVoid: true };

interface SettingsRow {
  bartenders_may_void: boolean;
}

const toSettings = (row: SettingsRow | undefined): VenueSettings => (row ? { bartendersMayVoid: row.bartenders_may_void } : { ...DEFAULTS });

/** The venue's settings, or the defaults while no manager has changed any. */
export async function venueSettings(db: Queryable, venueId: string): Promise<VenueSettings> {
  const { rows } = await db.query<SettingsRow>('SELECT bartenders_may_void FROM venue_settings WHERE venue_id = $1', [venueId]);
  return toSettings(rows[0]);
}

/**
 * The settings as they are before a change, with the venue's row locked (made
 * first if there is none), so two managers saving at once are applied one
 * after the other and each audit entry's "before" is true.
 */
export async function lockVenueSettings(db: Queryable, venueId: string): Promise<VenueSettings> {
  await db.query('INSERT INTO venue_settings (venue_id) VALUES ($1) ON CONFLICT (venue_id) DO NOTHING', [venueId]);
  const { rows } = await db.query<SettingsRow>('SELECT bartenders_may_void FROM venue_settings WHERE venue_id = $1 FOR UPDATE', [venueId]);
  return toSettings(rows[0]);
}

export async function saveVenueSettings(db: Queryable, venueId: string, staffId: string, settings: VenueSettings): Promise<void> {
  await db.query('UPDATE venue_settings SET bartenders_may_void = $2, updated_at = now(), updated_by = $3 WHERE venue_id = $1', [
    venueId,
    settings.bartendersMayVoid,
    staffId,
  ]);
}
