-- Up Migration

-- When a venue's business day starts (the dashboard's "today"): an hour in the
-- venue's time zone (venues.time_zone). A pub closes after midnight, so a
-- sale at 02:00 belongs to the night before; the day rolls over at 06:00
-- unless a manager chooses another hour. Hours after noon make no sense for
-- a day's start, and an hour rather than a time keeps it unambiguous across
-- the clock changes (back-end/src/domain/business-day.ts).
ALTER TABLE venue_settings
  ADD COLUMN business_day_start_hour smallint NOT NULL DEFAULT 6
    CHECK (business_day_start_hour BETWEEN 0 AND 12);

-- Down Migration
ALTER TABLE venue_settings DROP COLUMN business_day_start_hour;
