-- Up Migration

-- A venue is one bar; everything else belongs to exactly one.
CREATE TABLE venues (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 120),
  time_zone text NOT NULL DEFAULT 'Europe/Dublin',
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE staff (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  venue_id uuid NOT NULL REFERENCES venues (id),
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 120),
  email text NOT NULL,
  password_hash text NOT NULL,
  role text NOT NULL CHECK (role IN ('manager', 'bartender')),
  active boolean NOT NULL DEFAULT true,
  must_change_password boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now()
);
-- Login is by email alone, so an email names one account across all venues.
CREATE UNIQUE INDEX staff_email_key ON staff (lower(email));
CREATE INDEX staff_venue_idx ON staff (venue_id);

-- Failed-login counts per email (known or not), shared by every front-end replica.
CREATE TABLE login_throttle (
  email text PRIMARY KEY,
  failures integer NOT NULL DEFAULT 0,
  locked_until timestamptz,
  last_failure_at timestamptz
);

-- One row per applied write: a redelivered or resubmitted request finds its first reply here.
CREATE TABLE processed_requests (
  scope text NOT NULL,
  request_id text NOT NULL,
  action text NOT NULL,
  reply jsonb,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (scope, request_id)
);
CREATE INDEX processed_requests_created_idx ON processed_requests (created_at);

-- Down Migration
DROP TABLE processed_requests;
DROP TABLE login_throttle;
DROP TABLE staff;
DROP TABLE venues;
