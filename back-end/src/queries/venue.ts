import { BUSINESS_DAY_START_HOUR_DEFAULT, type ReplyOf } from '@barback/messaging';
import type { Queryable } from '../types.js';

export type VenueSettings = ReplyOf<'venue.getSettings'>;

/** What a venue with no row in venue_settings has (migrations 0008, 0014): the behaviour from before settings existed. */
const DEFAULTS: VenueSettings = { bartendersMayVoid: true, businessDayStartHour: BUSINESS_DAY_START_HOUR_DEFAULT };

interface SettingsRow {
  bartenders_may_void: boolean;
  business_day_start_hour: number;
}

const COLUMNS = 'bartenders_may_void, business_day_start_hour';

const toSettings = (row: SettingsRow | undefined): VenueSettings =>
  row ? { bartendersMayVoid: row.bartenders_may_void, businessDayStartHour: row.business_day_start_hour } : { ...DEFAULTS };

/** The venue's settings, or the defaults while no manager has changed any. */
export async function venueSettings(db: Queryable, venueId: string): Promise<VenueSettings> {
  const { rows } = await db.query<SettingsRow>(`SELECT ${COLUMNS} FROM venue_settings WHERE venue_id = $1`, [venueId]);
  return toSettings(rows[0]);
}

/**
 * The settings as they are before a change, with the venue's row locked (made
 * first if there is none), so two managers saving at once are applied one
 * after the other and each audit entry's "before" is true.
 */
export async function lockVenueSettings(db: Queryable, venueId: string): Promise<VenueSettings> {
  await db.query('INSERT INTO venue_settings (venue_id) VALUES ($1) ON CONFLICT (venue_id) DO NOTHING', [venueId]);
  const { rows } = await db.query<SettingsRow>(`SELECT ${COLUMNS} FROM venue_settings WHERE venue_id = $1 FOR UPDATE`, [venueId]);
  return toSettings(rows[0]);
}

export async function saveVenueSettings(db: Queryable, venueId: string, staffId: string, settings: VenueSettings): Promise<void> {
  await db.query(
    'UPDATE venue_settings SET bartenders_may_void = $2, business_day_start_hour = $3, updated_at = now(), updated_by = $4 WHERE venue_id = $1',
    [venueId, settings.bartendersMayVoid, settings.businessDayStartHour, staffId],
  );
}

/** The venue's time zone and business-day start hour: what "today" means on its dashboard. */
export async function venueDayRule(db: Queryable, venueId: string): Promise<{ timeZone: string; startHour: number }> {
  const { rows } = await db.query<{ time_zone: string; start_hour: number | null }>(
    `SELECT v.time_zone, s.business_day_start_hour AS start_hour
       FROM venues v LEFT JOIN venue_settings s ON s.venue_id = v.id
      WHERE v.id = $1`,
    [venueId],
  );
  const row = rows[0];
  return { timeZone: row?.time_zone ?? 'Europe/Dublin', startHour: row?.start_hour ?? BUSINESS_DAY_START_HOUR_DEFAULT };
}
