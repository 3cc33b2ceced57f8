/**
 * The no-broker baseline of the benchmark (never part of the product: the
 * front end itself has no database access). A tiny node:http server that
 * serves the same two operations as the API by calling the back end's own
 * dispatch — createDispatch({db, handlers, workerId, stockFolder}) from @barback/back-end, with
 * the same authorisation, idempotent write transaction, read routing and pools —
 * in-process: no broker, no session cookie, no CSRF, no argon2.
 *
 *   GET  /api/v1/products   catalogue.listProducts
 *   POST /api/v1/sales      sales.recordSale (JSON body as the API takes it; Idempotency-Key header)
 *   GET  /api/v1/me         auth.me (a read that works before the catalogue exists)
 *   GET  /healthz
 *
 * The caller is the `x-actor: <staffId>:<venueId>` header, or BENCH_ACTOR.
 * Like a worker, it checks the payload against the contract before the work,
 * and dispatch serialises the reply by it. Environment: the worker's (DB_*, DB_POOL_SIZE, LOG_LEVEL,
 * AMQP_URLS is read but unused) plus PORT and BENCH_ACTOR.
 */
import { createHash, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import {
  Errors,
  isCodedError,
  toWireError,
  validateRequest,
  type ActionName,
  type Actor,
  type ValidRequest,
} from '@barback/messaging';
import { pino } from 'pino';
import { createDbCluster, createDispatch, createStockFolder, handlers, loadConfig } from '@barback/back-end';

const ROUTES: Record<string, ActionName> = {
  'GET /api/v1/products': 'catalogue.listProducts',
  'POST /api/v1/sales': 'sales.recordSale',
  'GET /api/v1/me': 'auth.me',
};

const TIMEOUT_MS = 5000;

function parseActor(value: string | undefined): Actor | null {
  if (!value) return null;
  const [staffId, venueId] = value.split(':');
  return staffId && venueId ? { staffId, venueId } : null;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > 1_000_000) reject(new Errors.validation('body too large'));
      else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, body: unknown): void {
  sendJson(res, status, JSON.stringify(body));
}

function sendJson(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

async function main(): Promise<void> {
  const config = loadConfig();
  const port = Number(process.env['PORT'] ?? '0');
  const defaultActor = parseActor(process.env['BENCH_ACTOR']);
  const logger = pino({ level: config.logLevel, base: { service: 'bench-direct' } });
  const db = createDbCluster(config, logger);
  await db.discover();
  const stockFolder = createStockFolder(db, logger);
  const dispatch = createDispatch({ db, handlers, workerId: 'bench-direct', stockFolder });

  const server = createServer((req, res) => {
    void (async () => {
      const path = (req.url ?? '/').split('?')[0] ?? '/';
      if (path === '/healthz') {
        send(res, 200, { ok: true, roles: db.roles() });
        return;
      }
      const action = ROUTES[`${req.method ?? 'GET'} ${path}`];
      if (!action) {
        send(res, 404, { error: { code: 'BB_NOT_FOUND', message: `${req.method} ${path} not found.` } });
        return;
      }
      try {
        const text = req.method === 'POST' ? await readBody(req) : '';
        let payload: unknown = {};
        if (text) {
          try {
            payload = JSON.parse(text);
          } catch {
            throw new Errors.validation('body is not JSON');
          }
        }
        const problem = validateRequest(action, payload);
        if (problem) throw new Errors.validation(problem.message);
        const actorHeader = req.headers['x-actor'];
        const actor = parseActor(typeof actorHeader === 'string' ? actorHeader : undefined) ?? defaultActor;
        const key = req.headers['idempotency-key'];
        const requestId =
          typeof key === 'string' && key
            ? createHash('sha256').update(`${actor?.staffId ?? 'anonymous'}\n${key}`).digest('base64url')
            : randomUUID();
        const request: ValidRequest = { v: 1, action, requestId, actor, deadline: Date.now() + TIMEOUT_MS, payload };
        const log = logger.child({ requestId, action });
        const { json } = await dispatch(request, log);
        sendJson(res, req.method === 'POST' ? 201 : 200, json);
      } catch (err) {
        if (isCodedError(err)) {
          const wire = toWireError(err);
          send(res, wire.statusCode, { error: wire });
          return;
        }
        logger.error({ err }, 'direct request failed');
        send(res, 500, { error: { code: 'BB_INTERNAL', message: (err as Error).message } });
      }
    })();
  });
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const address = server.address();
  logger.warn({ port: typeof address === 'object' && address ? address.port : port, actor: defaultActor }, 'bench direct server listening');

  const stop = (): void => {
    server.close();
    server.closeAllConnections();
    void stockFolder
      .close()
      .then(() => db.close())
      .finally(() => process.exit(0));
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((err: unknown) => {
  process.stderr.write(`bench direct server: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
  process.exit(1);
});
