/**
 * Venues, accounts and products for the business-rule tests, made through the
 * real broker and workers (no SQL shortcuts): `startRig()` runs in-process
 * workers and one RpcClient; a `Caller` is one logged-in account that, like
 * the front end's session, carries its last write position on its reads so a
 * standby never hides its own writes.
 */
import argon2 from 'argon2';
import type pg from 'pg';
import { pino } from 'pino';
import { RpcClient, type ActionName, type Actor, type CodedError, type ReplyOf, type RequestOf } from '@barback/messaging';
import type { Worker } from '@barback/back-end';
// Types only: the RPC-level tests must not load the front end.
import type { HttpClient, TestFrontEnd } from './app.js';
import { loadServices } from './services.js';
import { startWorker } from './worker.js';

export type Product = ReplyOf<'catalogue.getProduct'>;
export type ProductInput = RequestOf<'catalogue.createProduct'>;
export type Tab = ReplyOf<'till.getTab'>;
export type Sale = ReplyOf<'sales.getSale'>;
export type Session = ReplyOf<'auth.me'>;

let hashPromise: Promise<string> | undefined;
/** One real argon2id hash for every account these tests make (the password is PASSWORD). */
export const PASSWORD = 'rules test password';
export function passwordHash(): Promise<string> {
  hashPromise ??= argon2.hash(PASSWORD, { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 });
  return hashPromise;
}

export interface Rig {
  client: RpcClient;
  workers: Worker[];
  /** The current primary, for counting rows and calling SQL functions. */
  primary(): Promise<pg.Pool>;
  close(): Promise<void>;
}

let accountCounter = 0;
/** Distinct, readable venue and owner per call, for registering over RPC or HTTP. */
export function newAccount(label = 'bar') {
  accountCounter += 1;
  const tag = `${label}-${Date.now().toString(36)}-${accountCounter}-${process.pid}`;
  return { venueName: `The ${tag}`, name: `Owner ${accountCounter}`, email: `${tag}@example.ie`, password: `correct horse ${tag}` };
}

/** In-process workers plus one RPC client on the test broker. */
export async function startRig(workerCount = 1): Promise<Rig> {
  const workers: Worker[] = [];
  for (let i = 0; i < workerCount; i += 1) workers.push(await startWorker());
  const client = new RpcClient({
    urls: loadServices().amqpUrls,
    logger: pino({ level: 'silent' }),
    timeoutMs: 20_000,
    connectionName: 'rules test',
  });
  client.start();
  await client.waitForConnect();
  return {
    client,
    workers,
    primary: () => workers[0]!.db.primary(),
    close: async () => {
      await client.close();
      await Promise.all(workers.map((w) => w.stop()));
    },
  };
}

/** One account, calling actions as itself; reads carry its last write position (read-your-writes). */
export class Caller {
  lsn: string | undefined;

  constructor(
    readonly rig: Rig,
    readonly actor: Actor,
    readonly session: Session,
  ) {}

  get staffId(): string {
    return this.actor.staffId;
  }

  get venueId(): string {
    return this.actor.venueId;
  }

  call<A extends ActionName>(action: A, payload: RequestOf<A>, options: { requestId?: string } = {}): Promise<ReplyOf<A>> {
    return this.rig.client.call(action, payload, {
      actor: this.actor,
      ...(options.requestId ? { requestId: options.requestId } : {}),
      ...(this.lsn ? { minLsn: this.lsn } : {}),
      onCommitted: (lsn) => {
        this.lsn = lsn;
      },
    });
  }

  /** The coded error the call fails with; fails the test if it succeeds. */
  async error<A extends ActionName>(action: A, payload: RequestOf<A>, options: { requestId?: string } = {}): Promise<CodedError> {
    return refusal(this.call(action, payload, options));
  }
}

/** Awaits a promise that must reject, and returns its coded error. */
export async function refusal(promise: Promise<unknown>): Promise<CodedError> {
  let value: unknown;
  try {
    value = await promise;
  } catch (err) {
    return err as CodedError;
  }
  throw new Error(`expected a refusal, got ${JSON.stringify(value)}`);
}

/** The coded error with only what a client sees, to compare two refusals. */
export function wire(err: CodedError): { code: string; statusCode: number | undefined; message: string; field: string | undefined } {
  return { code: err.code, statusCode: err.statusCode, message: err.message, field: err.field };
}

export interface Venue {
  rig: Rig;
  manager: Caller;
  venueId: string;
  name: string;
}

/** A new venue with its first manager, through `auth.register`. */
export async function createVenue(rig: Rig, label = 'rules'): Promise<Venue> {
  const account = newAccount(label);
  const session = await rig.client.call('auth.register', {
    venueName: account.venueName,
    name: account.name,
    email: account.email,
    passwordHash: await passwordHash(),
  });
  const manager = new Caller(rig, { staffId: session.staff.id, venueId: session.venue.id }, session);
  return { rig, manager, venueId: session.venue.id, name: session.venue.name };
}

let staffCounter = 0;
/** A fresh email and name for a staff account. */
export function newStaff(label = 'staff', role: 'manager' | 'bartender' = 'bartender') {
  staffCounter += 1;
  const tag = `${label}-${Date.now().toString(36)}-${staffCounter}`;
  return { name: `${label} ${staffCounter}`, email: `${tag}@example.ie`, role };
}

/**
 * An account created by the venue's manager (`staff.createStaff`), still with its
 * initial password unless `changePassword` (the default) has it set one first.
 */
export async function addStaff(
  venue: Venue,
  role: 'manager' | 'bartender' = 'bartender',
  { changePassword = true, label = role }: { changePassword?: boolean; label?: string } = {},
): Promise<Caller> {
  const member = await venue.manager.call('staff.createStaff', { ...newStaff(label, role), passwordHash: await passwordHash() });
  const actor = { staffId: member.id, venueId: venue.venueId };
  let session: Session = {
    staff: { id: member.id, name: member.name, email: member.email, role: member.role, mustChangePassword: member.mustChangePassword },
    venue: { id: venue.venueId, name: venue.name, timeZone: venue.manager.session.venue.timeZone },
  };
  const caller = new Caller(venue.rig, actor, session);
  if (changePassword) {
    session = await caller.call('auth.setPassword', { passwordHash: await passwordHash() });
    return new Caller(venue.rig, actor, session);
  }
  return caller;
}

export function asBartender(venue: Venue): Promise<Caller> {
  return addStaff(venue, 'bartender');
}

let productCounter = 0;
/**
 * A draught stout by default: 4.3% ABV, 50 l kegs (50 000 ml), reduced-rate
 * VAT class off, standard rate, a pint (568 ml) at €5.60 and a half (284 ml) at €3.00.
 */
export function productInput(overrides: Partial<ProductInput> = {}): ProductInput {
  productCounter += 1;
  return {
    name: `Stout ${Date.now().toString(36)}-${productCounter}`,
    category: 'draught',
    abv: 4.3,
    vatClass: 'standard',
    unitMl: 50_000,
    unitCostCents: 15_000,
    parUnits: 2,
    servings: [
      { name: 'Pint', ml: 568, priceCents: 560 },
      { name: 'Half', ml: 284, priceCents: 300 },
    ],
    ...overrides,
  };
}

export function createProduct(manager: Caller, overrides: Partial<ProductInput> = {}): Promise<Product> {
  return manager.call('catalogue.createProduct', productInput(overrides));
}

/** The serving of a product by name (fails loudly if there is none). */
export function serving(product: Product, name: string): Product['servings'][number] {
  const found = product.servings.find((s) => s.name === name);
  if (!found) throw new Error(`${product.name} has no serving ${name}: ${product.servings.map((s) => s.name).join(', ')}`);
  return found;
}

export async function stockUnits(rig: Rig, productId: string): Promise<number> {
  const db = await rig.primary();
  const { rows } = await db.query<{ stock_units: string }>('SELECT stock_units FROM stock_on_hand WHERE product_id = $1', [productId]);
  return Number(rows[0]!.stock_units);
}

/** Rows of `table` belonging to the venue, counted on the primary. */
export async function countRows(
  rig: Rig,
  table: 'tabs' | 'tab_lines' | 'payments' | 'refunds' | 'refund_lines' | 'audit_log' | 'products' | 'servings' | 'staff',
  venueId: string,
  extra: { sql: string; values: unknown[] } = { sql: '', values: [] },
): Promise<number> {
  const db = await rig.primary();
  const venueColumn =
    table === 'refund_lines' ? 'refund_id IN (SELECT id FROM refunds WHERE venue_id = $1)' : 'venue_id = $1';
  const { rows } = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table} WHERE ${venueColumn} ${extra.sql}`, [
    venueId,
    ...extra.values,
  ]);
  return rows[0]!.n;
}

/** Audit rows of a venue, as stored (read on the primary: refused actions do not report a write position). */
export async function auditRows(
  rig: Rig,
  venueId: string,
  action: string,
): Promise<{ staff_id: string | null; entity_id: string | null; reason: string | null; details: Record<string, unknown> }[]> {
  const db = await rig.primary();
  const { rows } = await db.query(
    'SELECT staff_id, entity_id, reason, details FROM audit_log WHERE venue_id = $1 AND action = $2 ORDER BY id',
    [venueId, action],
  );
  return rows as { staff_id: string | null; entity_id: string | null; reason: string | null; details: Record<string, unknown> }[];
}

/* ---------------------------------------------------------------- HTTP level */

export interface HttpVenue {
  manager: HttpClient;
  session: Session;
  account: ReturnType<typeof newAccount>;
}

/** Registers a venue through the front end; the client keeps the manager's cookie and CSRF token. */
export async function registerOverHttp(frontEnd: TestFrontEnd, label = 'http'): Promise<HttpVenue> {
  const account = newAccount(label);
  const manager = frontEnd.client();
  const res = await manager.post('/api/v1/register', account, { csrf: false });
  if (res.statusCode !== 201) throw new Error(`register failed: ${res.statusCode} ${res.body}`);
  return { manager, session: res.json<Session>(), account };
}

/**
 * A staff account made over HTTP by the venue's manager, logged in on its own
 * client. With `changePassword` it has set its own password, as a first login must.
 */
export async function staffOverHttp(
  frontEnd: TestFrontEnd,
  venue: HttpVenue,
  role: 'manager' | 'bartender' = 'bartender',
  { changePassword = true }: { changePassword?: boolean } = {},
): Promise<{ client: HttpClient; id: string; email: string; password: string }> {
  const who = newStaff(`http-${role}`, role);
  const initial = `initial ${who.email}`;
  const created = await venue.manager.post('/api/v1/staff', { ...who, password: initial });
  if (created.statusCode !== 201 && created.statusCode !== 200) throw new Error(`staff create failed: ${created.statusCode} ${created.body}`);
  const id = created.json<{ id: string }>().id;
  const client = frontEnd.client();
  const login = await client.post('/api/v1/login', { email: who.email, password: initial }, { csrf: false });
  if (login.statusCode !== 200) throw new Error(`staff login failed: ${login.statusCode} ${login.body}`);
  if (!changePassword) return { client, id, email: who.email, password: initial };
  const password = `changed ${who.email}`;
  const changed = await client.post('/api/v1/password', { currentPassword: initial, newPassword: password });
  if (changed.statusCode >= 300) throw new Error(`password change failed: ${changed.statusCode} ${changed.body}`);
  return { client, id, email: who.email, password };
}

/** A venue on its own rig with a bartender and the default stout: what most till and sales tests start from. */
export interface StoutBar {
  rig: Rig;
  venue: Venue;
  bartender: Caller;
  stout: Product;
  /** Pint €5.60 (568 ml) and half €3.00 (284 ml) of 50 l kegs. */
  pintId: string;
  halfId: string;
}

export async function stoutBar(label: string, workerCount = 1): Promise<StoutBar> {
  const rig = await startRig(workerCount);
  const venue = await createVenue(rig, label);
  const bartender = await asBartender(venue);
  const stout = await createProduct(venue.manager);
  return { rig, venue, bartender, stout, pintId: serving(stout, 'Pint').id, halfId: serving(stout, 'Half').id };
}

/** Rows a tab holds in one of its tables (tab_lines, payments), counted in the database. */
export function tabRowCount(bar: Pick<StoutBar, 'rig' | 'venue'>, table: 'tab_lines' | 'payments', tabId: string): Promise<number> {
  return countRows(bar.rig, table, bar.venue.venueId, { sql: 'AND tab_id = $2', values: [tabId] });
}
