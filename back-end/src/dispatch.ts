import { actions, Errors, type ActionName, type Dispatch, type ValidRequest } from '@barback/messaging';
import { DbCluster, NoPrimaryError, isTransientDbError } from '@barback/db';
import type { Log as Logger } from '@barback/messaging';
import { loadActor } from './queries/session.js';
import type { Handler, HandlerContext, Queryable } from './handlers/types.js';

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
 * A write runs in one primary transaction that first claims its request id:
 * a repeat (redelivery after a crash, a resubmitted form, a retried call)
 * finds the claim and gets the first reply back instead of doing the work again.
 */
async function runWrite(db: DbCluster, handler: Handler<ActionName>, request: ValidRequest, ctx: Omit<HandlerContext, 'actor'>) {
  const definition = actions[request.action];
  return db.transaction(async (tx) => {
    const actor = definition.auth === 'session' ? await loadActor(tx, request.actor) : null;
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
    const result = await handler.handle(tx, request.payload as never, { ...ctx, actor });
    await tx.query('UPDATE processed_requests SET reply = $3 WHERE scope = $1 AND request_id = $2', [
      scope,
      request.requestId,
      JSON.stringify(result),
    ]);
    return result;
  });
}

async function runRead(db: DbCluster, handler: Handler<ActionName>, request: ValidRequest, ctx: Omit<HandlerContext, 'actor'>) {
  const definition = actions[request.action];
  const primary = await db.primary();
  // The actor check always reads the primary, so a disabled account is refused at once, not after replication.
  const actor = definition.auth === 'session' ? await loadActor(primary, request.actor) : null;
  const pool: Queryable = definition.consistency === 'primary' ? primary : await db.standby();
  return handler.handle(pool, request.payload as never, { ...ctx, actor });
}

export function createDispatch({ db, handlers, workerId }: DispatchOptions): Dispatch {
  return async (request, log) => {
    const handler = handlers.get(request.action);
    if (!handler) throw new Errors.rejectedMessage(`no handler for ${request.action}`);
    const ctx = { requestId: request.requestId, workerId, log };
    const run = actions[request.action].kind === 'write' ? runWrite : runRead;
    return retryTransient(db, request.deadline, log, () => run(db, handler, request, ctx));
  };
}
