import { actions, Errors, PermanentError, serializeReply, type WriteActionName, type Actor, type ActionDefinition, type ActionName, type Dispatch, type Dispatched, type ValidRequest } from '@barback/messaging';
import { DbCluster, NoPrimaryError, isTransientDbError } from '@barback/db';
import type { Log as Logger } from '@barback/messaging';
import { recordAccessDenied } from './queries/access-denied.js';
import { claimRequest, findActor, storedReply, storeReply } from './queries/session.js';
import type { ActorRecord, Handler, ReadContext, WriteContext } from './handlers/types.js';
import type { StockFolder } from './jobs/stock-folder.js';
import { EventCollector } from './outbox/emitter.js';
import { autoShiftEvent } from './outbox/auto-shift.js';
import { insertEvents } from './queries/outbox.js';
import { DEFAULT_SETTINGS, type WorkerSettings } from './config.js';

interface DispatchOptions {
  db: DbCluster;
  handlers: ReadonlyMap<ActionName, Handler<ActionName>>;
  workerId: string;
  /** Told of every write: sales and voids leave stock moves to fold (migration 0006). */
  stockFolder: Pick<StockFolder, 'soon'>;
  /** Told of every write that emitted events, so this worker's relay (if it is the active one) publishes them at once. */
  relay?: { soon(): void };
  /** Handed to every handler; the defaults when left out (a bench's dispatch). */
  settings?: WorkerSettings;
}

/** A dispatched reply, with how many events a write emitted. */
type Ran = Dispatched & { emitted?: number };

type BaseContext = Omit<WriteContext, 'actor' | 'withCommit' | 'emit'>;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Retries while the database is failing over, as long as the caller still
 * waits. Past the deadline the error goes up and the message is requeued;
 * the next delivery then finds the deadline passed and drops it.
 */
async function retryTransient<T>(db: DbCluster, deadline: number, log: Logger, fn: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await fn();
    } catch (err) {
      if (!(isTransientDbError(err) || err instanceof NoPrimaryError)) throw err;
      db.forgetRoles();
      const wait = Math.min(100 * 2 ** (attempt - 1), 1000);
      if (Date.now() + wait >= deadline) throw err;
      log.warn({ err: (err as Error).message, attempt }, 'database unavailable; retrying');
      await sleep(wait);
    }
  }
}

/** A non-manager asked for a manager's action: refused, and the attempt audited outside the refused transaction. */
class ManagerOnly extends Error {
  constructor(readonly actor: ActorRecord) {
    super('manager only');
  }
}

/**
 * Who may run this action, decided here in the worker whatever the front end
 * checked: the account must be active and in the message's venue (`record` is
 * what the database holds for the message's actor now), managers' actions
 * refuse anyone else, and an account that still has its initial password can
 * do nothing but change it.
 */
function admit(definition: ActionDefinition, actor: Actor | null, record: ActorRecord | null): ActorRecord | null {
  if (definition.auth !== 'session') return null;
  if (!actor) throw new Errors.notAuthenticated();
  if (!record) throw new Errors.sessionInvalid();
  if (definition.role === 'manager' && record.role !== 'manager') throw new ManagerOnly(record);
  if (record.mustChangePassword && !definition.allowBeforePasswordChange) throw new Errors.passwordChangeRequired();
  return record;
}

/**
 * A write runs in one primary transaction that first claims its request id
 * (and loads the caller, in the same statement): a repeat (redelivery after a
 * crash, a resubmitted form, a retried call) finds the claim and gets the
 * first reply back instead of doing the work again. The reply is serialised
 * before the commit, so one that breaks the contract rolls the write back,
 * and the JSON stored is the JSON sent; storing it goes to the server with
 * the COMMIT (withCommit), and if it fails nothing is committed.
 */
async function runWrite(db: DbCluster, handler: Handler<ActionName>, request: ValidRequest, base: BaseContext): Promise<Ran> {
  const definition = actions[request.action];
  let emitted = 0;
  const scope = request.actor?.staffId ?? 'anonymous';
  const { result: json, lsn } = await db.transactionWithLsn<string>(async (tx, withCommit) => {
    const claim = await claimRequest(tx, { scope, requestId: request.requestId, action: request.action, actor: request.actor });
    const actor = admit(definition, request.actor, claim.actor);
    if (!claim.claimed) {
      const stored = await storedReply(tx, scope, request.requestId);
      if (stored?.action !== request.action) {
        throw new Errors.conflict('This idempotency key was already used for a different action.');
      }
      base.log.info('repeated request; returning the first reply');
      return stored.json;
    }
    const collector = new EventCollector(request.action as WriteActionName, actor?.venueId ?? null);
    const autoShift = autoShiftEvent(request.action as WriteActionName);
    const ctx: WriteContext = { ...base, actor, withCommit, emit: collector.emit };
    const json = serializeReply(request.action, await handler.handle(tx, request.payload as never, ctx as never));
    // The events go with the COMMIT, like the stored reply: both or neither.
    if (collector.pending.length > 0 || autoShift) withCommit(insertEvents(tx, collector.pending, autoShift));
    emitted = collector.pending.length;
    withCommit(storeReply(tx, scope, request.requestId, json));
    return json;
  });
  return { json, lsn, emitted };
}

/**
 * A read and the check of its caller run at the same time, on the standby and
 * the primary: the caller waits for the slower of the two instead of both.
 * The check still decides: its refusal wins over the read's result or error.
 * An action without a session gets no actor at all, as its context's type says.
 */
async function runRead(db: DbCluster, handler: Handler<ActionName>, request: ValidRequest, base: BaseContext): Promise<Dispatched> {
  const definition = actions[request.action];
  const pool = definition.consistency === 'primary' ? await db.primary() : await db.readPool(request.minLsn);
  if (definition.auth !== 'session') {
    const ctx: ReadContext<null> = { ...base, actor: null };
    return { json: serializeReply(request.action, await handler.handle(pool, request.payload as never, ctx)) };
  }
  if (!request.actor) throw new Errors.notAuthenticated();
  const actor = request.actor;
  const ctx: ReadContext<Actor> = { ...base, actor };
  const [record, outcome] = await Promise.allSettled([
    db.primary().then((primary) => findActor(primary, actor)),
    handler.handle(pool, request.payload as never, ctx as never),
  ]);
  if (record.status === 'rejected') throw record.reason;
  admit(definition, actor, record.value);
  if (outcome.status === 'rejected') throw outcome.reason;
  return { json: serializeReply(request.action, outcome.value) };
}

export function createDispatch({ db, handlers, workerId, stockFolder, relay, settings = DEFAULT_SETTINGS }: DispatchOptions): Dispatch {
  return async (request, log) => {
    const handler = handlers.get(request.action);
    if (!handler) throw new PermanentError(`no handler for ${request.action}`);
    const write = actions[request.action].kind === 'write';
    const run: typeof runWrite = write ? runWrite : runRead;
    const dispatched = await retryTransient(db, request.deadline, log, async () => {
      try {
        return await run(db, handler, request, { requestId: request.requestId, workerId, log, settings });
      } catch (err) {
        if (!(err instanceof ManagerOnly)) throw err;
        const audited = await recordAccessDenied(await db.primary(), {
          venueId: err.actor.venueId,
          staffId: err.actor.staffId,
          attempted: request.action,
        });
        if (!audited) log.warn({ staffId: err.actor.staffId, attempted: request.action }, 'refused manager action; audit rows for this person held back this minute');
        throw new Errors.forbidden('Only a manager can do this.');
      }
    });
    // After the commit, so the fold finds this write's moves and the relay its events.
    if (write) stockFolder.soon();
    const { emitted, ...reply } = dispatched;
    if (emitted) relay?.soon();
    return reply;
  };
}
