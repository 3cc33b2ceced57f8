-- Up Migration

-- A browser a manager enrolled as one of the venue's tills. It proves itself
-- with the random secret in its `bb_till` cookie; only the secret's SHA-256
-- is kept (a 32-byte random secret needs no slow hash). A revoked till stays
-- listed, for the record, and signs no one in.
CREATE TABLE tills (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  venue_id uuid NOT NULL REFERENCES venues (id),
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 60),
  key_hash text NOT NULL UNIQUE,
  created_by uuid NOT NULL REFERENCES staff (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  last_seen_at timestamptz,
  revoked_at timestamptz,
  revoked_by uuid REFERENCES staff (id)
);
CREATE INDEX tills_venue_idx ON tills (venue_id, created_at DESC);
-- Two working tills called "Bar 1" would make the staff page ambiguous.
CREATE UNIQUE INDEX tills_active_name_key ON tills (venue_id, lower(name)) WHERE revoked_at IS NULL;

-- A person's till PIN (argon2id, hashed by the front end) and its own
-- lock-out: wrong PINs count per person, on every till of the venue, so
-- trying PINs on a second till does not start the count again.
CREATE TABLE staff_pins (
  staff_id uuid PRIMARY KEY REFERENCES staff (id),
  pin_hash text NOT NULL,
  set_at timestamptz NOT NULL DEFAULT now(),
  set_by uuid NOT NULL REFERENCES staff (id),
  failures integer NOT NULL DEFAULT 0,
  last_failure_at timestamptz,
  locked_until timestamptz
);

-- Down Migration
DROP TABLE staff_pins;
DROP TABLE tills;
