import type { Actor, ReplyOf } from '@barback/messaging';
import type { ActorRecord, Queryable } from '../types.js';
import { onlyRow } from './rows.js';
import { statement } from './statement.js';

type Session = ReplyOf<'auth.me'>;

interface SessionRow {
  staff_id: string;
  staff_name: string;
  email: string;
  role: 'manager' | 'bartender';
  must_change_password: boolean;
  venue_id: string;
  venue_name: string;
  time_zone: string;
}

const SESSION_SQL = `
  SELECT s.id AS staff_id, s.name AS staff_name, s.email, s.role, s.must_change_password,
         v.id AS venue_id, v.name AS venue_name, v.time_zone
    FROM staff s JOIN venues v ON v.id = s.venue_id
   WHERE s.id = $1 AND s.active`;

function toSession(row: SessionRow): Session {
  return {
    staff: { id: row.staff_id, name: row.staff_name, email: row.email, role: row.role, mustChangePassword: row.must_change_password },
    venue: { id: row.venue_id, name: row.venue_name, timeZone: row.time_zone },
  };
}

// Prepared: auth.me asks it for every page a browser renders.
const sessionStatement = statement('session', SESSION_SQL);

/** The session of an active account, or null if it is missing or disabled. */
export async function findSession(db: Queryable, staffId: string): Promise<Session | null> {
  const { rows } = await db.query<SessionRow>(sessionStatement([staffId]));
  return rows[0] ? toSession(rows[0]) : null;
}

function toActorRecord(row: SessionRow, sessionId: string | null): ActorRecord {
  return {
    staffId: row.staff_id,
    venueId: row.venue_id,
    role: row.role,
    name: row.staff_name,
    mustChangePassword: row.must_change_password,
    sessionId,
  };
}

/**
 * The caller's session must still be live: one primary-key probe inside the
 * read that loads the account (no round trip of its own). A message that
 * names no session (Actor.sessionId) skips it.
 */
// An uncorrelated scalar subquery: one primary-key probe, run once (an InitPlan), where
// EXISTS … x.staff_id = s.id was planned as a hashed subplan scanning the table.
const liveSession = (param: string) =>
  `AND (${param} IS NULL OR s.id = (SELECT x.staff_id FROM sessions x WHERE x.id = ${param} AND x.expires_at > now()))`;

const actorStatement = statement('actor', `${SESSION_SQL} AND s.venue_id = $2 ${liveSession('$3::uuid')}`);

/**
 * The message's actor as the database knows it now, or null when the account
 * is missing, disabled or in another venue, or its session has ended (logged
 * out, signed out elsewhere, expired): the worker checks it on every request,
 * whatever the front end says.
 */
export async function findActor(db: Queryable, actor: Actor): Promise<ActorRecord | null> {
  const sessionId = actor.sessionId ?? null;
  const { rows } = await db.query<SessionRow>(actorStatement([actor.staffId, actor.venueId, sessionId]));
  return rows[0] ? toActorRecord(rows[0], sessionId) : null;
}

// The claim and the actor in one round trip: every write starts with both.
const claimStatement = statement(
  'claim-request',
  `WITH claim AS (
     INSERT INTO processed_requests (scope, request_id, action) VALUES ($1, $2, $3)
     ON CONFLICT DO NOTHING RETURNING request_id)
   SELECT EXISTS (SELECT 1 FROM claim) AS claimed, a.*
     FROM (VALUES (1)) AS one (x)
     LEFT JOIN (${SESSION_SQL.replace('$1', '$4::uuid')} AND s.venue_id = $5::uuid ${liveSession('$6::uuid')}) AS a ON true`,
);

/**
 * Claims a write's request id for this transaction and loads its actor.
 * `claimed` is false when the id was processed before (a redelivery, a
 * resubmitted form): the caller then answers with the stored reply. A second
 * claim of an id still in flight waits here until the first commits or rolls back.
 */
export async function claimRequest(
  db: Queryable,
  claim: { scope: string; requestId: string; action: string; actor: Actor | null },
): Promise<{ claimed: boolean; actor: ActorRecord | null }> {
  const sessionId = claim.actor?.sessionId ?? null;
  const result = await db.query<SessionRow & { claimed: boolean }>(
    claimStatement([claim.scope, claim.requestId, claim.action, claim.actor?.staffId ?? null, claim.actor?.venueId ?? null, sessionId]),
  );
  const row = onlyRow(result);
  return { claimed: row.claimed, actor: row.staff_id ? toActorRecord(row, sessionId) : null };
}

/** The reply (its JSON) stored for a request id processed before, and the action it was for. */
export async function storedReply(db: Queryable, scope: string, requestId: string): Promise<{ action: string; json: string } | null> {
  const { rows } = await db.query<{ action: string; json: string }>(
    'SELECT action, reply::text AS json FROM processed_requests WHERE scope = $1 AND request_id = $2',
    [scope, requestId],
  );
  return rows[0] ?? null;
}

const storeReplyStatement = statement('store-reply', 'UPDATE processed_requests SET reply = $3 WHERE scope = $1 AND request_id = $2');

/** `json` is the reply as serialised for the caller (serializeReply). */
export async function storeReply(db: Queryable, scope: string, requestId: string, json: string): Promise<void> {
  await db.query(storeReplyStatement([scope, requestId, json]));
}

/**
 * How long a session can last, however busy: the cookie's own expiry slides
 * with every change to it, so this is the one bound a stolen cookie cannot
 * extend. A bar's longest day, with room to spare.
 */
export const SESSION_LIFETIME = '24 hours';

/**
 * Records a new session of `staffId` and answers its id. The person's
 * expired rows go in the same statement, so the table holds about one row
 * per person signed in.
 */
export async function startSession(db: Queryable, staffId: string): Promise<string> {
  const result = await db.query<{ id: string }>(
    `WITH expired AS (DELETE FROM sessions WHERE staff_id = $1 AND expires_at <= now())
     INSERT INTO sessions (id, staff_id, expires_at) VALUES (gen_random_uuid(), $1, now() + $2::interval) RETURNING id`,
    [staffId, SESSION_LIFETIME],
  );
  return onlyRow(result).id;
}

/** Ends one session of `staffId`; answers how many ended (0 or 1). */
export async function endSession(db: Queryable, staffId: string, sessionId: string): Promise<number> {
  const result = await db.query('DELETE FROM sessions WHERE id = $1 AND staff_id = $2', [sessionId, staffId]);
  return result.rowCount ?? 0;
}

/** Ends every session of `staffId` but `keep` (all of them when `keep` is null); answers how many ended. */
export async function endOtherSessions(db: Queryable, staffId: string, keep: string | null): Promise<number> {
  const result = await db.query('DELETE FROM sessions WHERE staff_id = $1 AND id IS DISTINCT FROM $2::uuid', [staffId, keep]);
  return result.rowCount ?? 0;
}
