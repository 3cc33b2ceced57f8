-- Up Migration

-- The transactional outbox (docs/changes.md). A write inserts the events it
-- emits here in its own transaction, so they commit or roll back with it;
-- the relay (back-end/src/outbox/relay.ts, one active at a time) gives each
-- committed event its place in the venue's history (`position`), publishes it
-- to the RabbitMQ stream barback.changes and marks it published once the
-- broker confirms. Rows stay after that, as the history listEvents and the
-- SSE stream read, until the retention (EVENTS_RETENTION_DAYS) drops them.
CREATE TABLE outbox (
  -- The order of emission. Two transactions may commit in the other order
  -- than they took their seq, so seq is not the order anyone reads in:
  -- position is, given by the relay to committed rows only.
  seq bigserial PRIMARY KEY,
  id uuid NOT NULL UNIQUE,              -- the event's id, a UUID v7 made by the worker
  venue_id uuid NOT NULL,
  type text NOT NULL,
  version integer NOT NULL,
  aggregate_type text NOT NULL,
  aggregate_id text NOT NULL,
  occurred_at timestamptz NOT NULL DEFAULT now(),
  data jsonb NOT NULL,
  position bigint UNIQUE,
  published_at timestamptz
) WITH (
  -- Every row is updated twice within a second of its insert.
  autovacuum_vacuum_scale_factor = 0.02,
  fillfactor = 80
);
CREATE INDEX outbox_unplaced ON outbox (seq) WHERE position IS NULL;
CREATE INDEX outbox_unpublished ON outbox (position) WHERE published_at IS NULL AND position IS NOT NULL;
CREATE INDEX outbox_venue_position ON outbox (venue_id, position) WHERE position IS NOT NULL;
CREATE INDEX outbox_occurred ON outbox (occurred_at);

-- The last position given out. One row, locked by the relay while it places
-- a batch, so even two relays that both think they are the active one (for
-- a moment around a failover) never give out a position twice.
CREATE TABLE outbox_relay (
  only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row),
  last_position bigint NOT NULL DEFAULT 0
);
INSERT INTO outbox_relay DEFAULT VALUES;

-- Low stock: whether each product was below its par when last looked at, so
-- a crossing emits one event however many moves or folds it takes.
ALTER TABLE stock_levels ADD COLUMN below_par boolean NOT NULL DEFAULT false;

-- Down Migration
ALTER TABLE stock_levels DROP COLUMN below_par;
DROP TABLE outbox_relay;
DROP TABLE outbox;
