import { actions, Errors, type ActionName, type Dispatch, type Dispatched, type ValidRequest } from '@barback/messaging';
import { DbCluster, NoPrimaryError, isTransientDbError } from '@barback/db';
import type { Log as Logger } from '@barback/messaging';
import { recordAudit } from './queries/audit.js';
import { loadActor } from './queries/session.js';
import type { ActorRecord, Handler, HandlerContext } from './handlers/types.js';

interface DispatchOptions {
  db: DbCluster;
  handlers: ReadonlyMap<ActionName, Handler<ActionName>>;
  workerId: string;
}

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

/**
 * Who may run this action, decided here in the worker whatever the front end
 * checked: the account must be active and in the message's venue, managers'
 * actions refuse anyone else (and the attempt is audited), and an account that
 * still has its initial password can do nothing but change it.
 */
async function authorise(db: DbCluster, request: ValidRequest): Promise<ActorRecord | null> {
  const definition = actions[request.action];
  if (definition.auth !== 'session') return null;
  const actor = await loadActor(await db.primary(), request.actor);
  if (definition.role === 'manager' && actor.role !== 'manager') {
    await recordAudit(await db.primary(), {
      venueId: actor.venueId,
      staffId: actor.staffId,
      action: 'access.denied',
      details: { attempted: request.action },
    });
    throw new Errors.forbidden('Only a manager can do this.');
  }
  if (actor.mustChangePassword && !definition.allowBeforePasswordChange) throw new Errors.passwordChangeRequired();
  return actor;
}

/**
 * A write runs in one primary transaction that first claims its request id:
 * a repeat (redelivery after a crash, a resubmitted form, a retried call)
 * finds the claim and gets the first reply back instead of doing the work again.
 */
async function runWrite(db: DbCluster, handler: Handler<ActionName>, request: ValidRequest, ctx: HandlerContext): Promise<Dispatched> {
  return db.transactionWithLsn(async (tx) => {
    const scope = request.actor?.staffId ?? 'anonymous';
    const claim = await tx.query(
      'INSERT INTO processed_requests (scope, request_id, action) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING',
      [scope, request.requestId, request.action],
    );
    if (claim.rowCount === 0) {
      const { rows } = await tx.query<{ action: string; reply: unknown }>(
        'SELECT action, reply FROM processed_requests WHERE scope = $1 AND request_id = $2',
        [scope, request.requestId],
      );
      if (rows[0]?.action !== request.action) {
        throw new Errors.conflict('This idempotency key was already used for a different action.');
      }
      ctx.log.info('repeated request; returning the first reply');
      return rows[0].reply;
    }
    const result = await handler.handle(tx, request.payload as never, ctx);
    await tx.query('UPDATE processed_requests SET reply = $3 WHERE scope = $1 AND request_id = $2', [
      scope,
      request.requestId,
      JSON.stringify(result),
    ]);
    return result;
  });
}

async function runRead(db: DbCluster, handler: Handler<ActionName>, request: ValidRequest, ctx: HandlerContext): Promise<Dispatched> {
  const pool = actions[request.action].consistency === 'primary' ? await db.primary() : await db.readPool(request.minLsn);
  return { result: await handler.handle(pool, request.payload as never, ctx) };
}

export function createDispatch({ db, handlers, workerId }: DispatchOptions): Dispatch {
  return async (request, log) => {
    const handler = handlers.get(request.action);
    if (!handler) throw new Errors.rejectedMessage(`no handler for ${request.action}`);
    const run = actions[request.action].kind === 'write' ? runWrite : runRead;
    return retryTransient(db, request.deadline, log, async () => {
      const actor = await authorise(db, request);
      return run(db, handler, request, { requestId: request.requestId, workerId, log, actor });
    });
  };
}
