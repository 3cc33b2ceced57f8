-- Up Migration

-- A venue's own choices about how its till works. One row per venue, written
-- the first time a manager changes a setting: a venue without a row has the
-- defaults below, which are the behaviour from before the table existed
-- (bartenders void lines), so no venue changes by being migrated.
CREATE TABLE venue_settings (
  venue_id uuid PRIMARY KEY REFERENCES venues (id),
  -- false: only managers may void a line of an open tab (till.voidTabLine).
  bartenders_may_void boolean NOT NULL DEFAULT true,
  updated_at timestamptz NOT NULL DEFAULT now(),
  updated_by uuid REFERENCES staff (id)
);

-- Down Migration
DROP TABLE venue_settings;
