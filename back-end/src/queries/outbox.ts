import type { ChangeEvent, EventType } from '@barback/messaging';
import type { Queryable } from '../types.js';

/** An event as a write hands it to the outbox: the time is the transaction's own (now()). */
export interface PendingEvent {
  id: string;
  type: EventType;
  venueId: string;
  aggregateType: string;
  aggregateId: string;
  version: number;
  data: unknown;
}

/**
 * One statement for all of a write's events, sent with its COMMIT
 * (withCommit): the outbox costs the write no round trip of its own.
 *
 * `autoShift`: the id for a shift.started if this transaction's triggers
 * opened a shift (shift_for_write marks it in barback.auto_shift, migration
 * 0022). The row is made here, from the shift itself, ahead of the write's
 * own events (seq order is the order they are placed in), so knowing whether
 * a shift was opened costs no round trip either: asking for it first, then
 * emitting, took write throughput at 64 connections to 0.80–0.83 of what it
 * was without (three alternating pairs of `npm run bench -- --quick
 * --only=write`), the extra round trip lengthening every sale's hold on its
 * totals slot; made here it is 1.01–1.02 at 64 and 0.89–0.92 at 16 (two
 * pairs, inside this machine's spread). Its data is startShift's (messaging/src/events/shift.ts), with
 * openedAt in toISOString's form; test/back-end/handlers/shifts/
 * shift-started-events.test.ts checks it field by field.
 */
export function insertEvents(db: Queryable, events: readonly PendingEvent[], autoShift: { id: string; version: number; aggregateType: string } | null = null): Promise<unknown> {
  const recordset = JSON.stringify(
    events.map((e) => ({
      id: e.id,
      venue_id: e.venueId,
      type: e.type,
      version: e.version,
      aggregate_type: e.aggregateType,
      aggregate_id: e.aggregateId,
      data: e.data,
    })),
  );
  if (!autoShift) {
    return db.query({
      name: 'barback-outbox-insert',
      text: `INSERT INTO outbox (id, venue_id, type, version, aggregate_type, aggregate_id, data)
             SELECT e.id, e.venue_id, e.type, e.version, e.aggregate_type, e.aggregate_id, e.data
               FROM jsonb_to_recordset($1::jsonb)
                 AS e (id uuid, venue_id uuid, type text, version integer, aggregate_type text, aggregate_id text, data jsonb)`,
      values: [recordset],
    });
  }
  return db.query({
    name: 'barback-outbox-insert-auto-shift',
    text: `INSERT INTO outbox (id, venue_id, type, version, aggregate_type, aggregate_id, data)
           SELECT x.id, x.venue_id, x.type, x.version, x.aggregate_type, x.aggregate_id, x.data
             FROM (SELECT $2::uuid AS id, s.venue_id, 'shift.started' AS type, $3::integer AS version, $4::text AS aggregate_type,
                          s.id::text AS aggregate_id,
                          jsonb_build_object('id', s.id,
                                             'openedAt', to_char(s.opened_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
                                             'openedBy', jsonb_build_object('id', o.id, 'name', o.name), 'floatCents', s.float_cents, 'autoOpened', s.auto_opened) AS data,
                          0 AS ord
                     FROM shifts s JOIN staff o ON o.id = s.opened_by
                    WHERE s.id = nullif(current_setting('barback.auto_shift', true), '')::uuid
                   UNION ALL
                   SELECT e.id, e.venue_id, e.type, e.version, e.aggregate_type, e.aggregate_id, e.data, 1
                     FROM jsonb_to_recordset($1::jsonb)
                       AS e (id uuid, venue_id uuid, type text, version integer, aggregate_type text, aggregate_id text, data jsonb)) x
            ORDER BY x.ord`,
    values: [recordset, autoShift.id, autoShift.version, autoShift.aggregateType],
  });
}

interface OutboxRow {
  position: string;
  id: string;
  type: EventType;
  venue_id: string;
  occurred_at: string;
  aggregate_type: string;
  aggregate_id: string;
  version: number;
  data: unknown;
}

/**
 * Microseconds, UTC, as Postgres holds them: the same text on the stream, in listEvents and over SSE.
 * The position goes out as text, under its own name: an ORDER BY must say outbox.position, or it
 * sorts the text ('1000' before '999').
 */
const EVENT_COLUMNS = `position::text AS position, id::text AS id, type, venue_id::text AS venue_id,
  to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS occurred_at,
  aggregate_type, aggregate_id, version, data`;

function toEvent(row: OutboxRow): { position: string; event: ChangeEvent } {
  return {
    position: row.position,
    event: {
      id: row.id,
      type: row.type,
      venueId: row.venue_id,
      occurredAt: row.occurred_at,
      aggregateType: row.aggregate_type,
      aggregateId: row.aggregate_id,
      version: row.version,
      data: row.data,
    },
  };
}

/**
 * Gives the next committed events their positions, in the order they were
 * emitted, under the lock of the one outbox_relay row; runs in its own
 * transaction, which commits before anything is published, so a position
 * once seen by a reader never changes. Returns how many were placed.
 */
export async function placeEvents(db: Queryable, limit: number): Promise<number> {
  const { rows } = await db.query<{ placed: number }>(
    // The EXISTS first: with nothing to place (an idle bar, most polls) the
    // row is not locked, which would be a write, and a commit that waits for
    // the synchronous standby: 3.4 ms a poll measured, against 0.3 ms.
    `WITH last AS (
       SELECT last_position FROM outbox_relay
        WHERE EXISTS (SELECT 1 FROM outbox WHERE position IS NULL)
          FOR UPDATE
     ), batch AS (
       SELECT seq, row_number() OVER (ORDER BY seq) AS n
         FROM (SELECT seq FROM outbox WHERE position IS NULL ORDER BY seq LIMIT $1) s
     ), placed AS (
       UPDATE outbox o SET position = (SELECT last_position FROM last) + b.n
         FROM batch b WHERE o.seq = b.seq
       RETURNING o.position
     ), moved AS (
       UPDATE outbox_relay SET last_position = (SELECT max(position) FROM placed)
        WHERE EXISTS (SELECT 1 FROM placed)
       RETURNING last_position
     )
     SELECT count(*)::int AS placed FROM placed, (SELECT count(*) FROM moved) m`,
    [limit],
  );
  return rows[0]?.placed ?? 0;
}

/** Placed but not yet confirmed by the broker, oldest position first. */
export async function unpublishedEvents(db: Queryable, limit: number): Promise<{ position: string; event: ChangeEvent }[]> {
  const { rows } = await db.query<OutboxRow>(
    `SELECT ${EVENT_COLUMNS} FROM outbox
      WHERE published_at IS NULL AND position IS NOT NULL
      ORDER BY outbox.position LIMIT $1`,
    [limit],
  );
  return rows.map(toEvent);
}

export async function markPublished(db: Queryable, positions: readonly string[]): Promise<void> {
  await db.query('UPDATE outbox SET published_at = now() WHERE position = ANY($1::bigint[]) AND published_at IS NULL', [positions]);
}

export interface EventFilter {
  venueId: string;
  /** Only events after this position. */
  after: string | null;
  from: string | null;
  types: readonly string[] | null;
  limit: number;
}

/** A venue's placed events, oldest first: what listEvents and the SSE stream read. */
export async function venueEvents(db: Queryable, f: EventFilter): Promise<{ position: string; event: ChangeEvent }[]> {
  const { rows } = await db.query<OutboxRow>(
    `SELECT ${EVENT_COLUMNS} FROM outbox
      WHERE venue_id = $1 AND position IS NOT NULL
        AND ($2::bigint IS NULL OR position > $2::bigint)
        AND ($3::timestamptz IS NULL OR occurred_at >= $3::timestamptz)
        AND ($4::text[] IS NULL OR type = ANY($4::text[]))
      ORDER BY outbox.position LIMIT $5`,
    [f.venueId, f.after, f.from, f.types, f.limit],
  );
  return rows.map(toEvent);
}

/** The venue's latest events, newest first (the dashboard's feed). */
export async function latestVenueEvents(db: Queryable, venueId: string, limit: number): Promise<{ position: string; event: ChangeEvent }[]> {
  const { rows } = await db.query<OutboxRow>(
    `SELECT ${EVENT_COLUMNS} FROM outbox
      WHERE venue_id = $1 AND position IS NOT NULL
      ORDER BY outbox.position DESC LIMIT $2`,
    [venueId, limit],
  );
  return rows.map(toEvent);
}

/** Deletes one batch of published events older than the retention; how many went. */
export async function purgeEvents(db: Queryable, keepDays: number, batch: number): Promise<number> {
  const { rowCount } = await db.query(
    `DELETE FROM outbox WHERE seq IN (
       SELECT seq FROM outbox
        WHERE occurred_at < now() - make_interval(days => $1) AND published_at IS NOT NULL
        ORDER BY seq LIMIT $2)`,
    [keepDays, batch],
  );
  return rowCount ?? 0;
}
