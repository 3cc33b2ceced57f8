-- Up Migration

-- A signed-in session, named by the random id in its encrypted cookie. The
-- worker's caller check (findActor, claimRequest) reads the row in the same
-- statement that loads the account, so a session ends for every replica the
-- moment its row is gone: logout deletes it; a password change, "sign out
-- everywhere" and a disable delete all of the person's others. expires_at is
-- an absolute lifetime whatever the cookie's sliding expiry says.
CREATE TABLE sessions (
  id uuid PRIMARY KEY,
  staff_id uuid NOT NULL REFERENCES staff (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL
);
CREATE INDEX sessions_staff_idx ON sessions (staff_id);

-- Failed logins, counted per (account, client address) and per client
-- address across accounts: each key is held for a time that doubles with
-- its failures. Nothing is counted per account alone, so a guesser cannot
-- lock the account's owner out from another address (login_throttle did).
CREATE TABLE login_failures (
  key text PRIMARY KEY,
  failures integer NOT NULL CHECK (failures > 0),
  last_failure_at timestamptz NOT NULL,
  held_until timestamptz NOT NULL
);
-- Old keys are forgotten a batch at a time by the failures that come after them.
CREATE INDEX login_failures_last_idx ON login_failures (last_failure_at);

DROP TABLE login_throttle;

-- Down Migration
CREATE TABLE login_throttle (
  email text PRIMARY KEY,
  failures integer NOT NULL DEFAULT 0,
  locked_until timestamptz,
  last_failure_at timestamptz
);
DROP TABLE login_failures;
DROP TABLE sessions;
