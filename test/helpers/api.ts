/**
 * What the HTTP API tests (test/front-end/routes/api/, test/front-end/plugins/)
 * share: a manager registered through the front end, products made over HTTP,
 * a tab with a pint on it and a quick sale. The RPC-level helpers, and the
 * venue and staff accounts made over HTTP, are in venue.ts.
 */
import { expect } from '@jest/globals';
import type { Worker } from '@barback/back-end';
import { startFrontEnd, type HttpClient, type TestFrontEnd } from './app.js';
import { newAccount, productInput, registerOverHttp, staffOverHttp, type HttpVenue, type Product, type Sale, type Tab } from './venue.js';
import { startWorker } from './worker.js';

/** A well-formed id that names nothing. */
export const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';

/** The manager of a new venue, registered on a client of its own. */
export async function registeredManager(frontEnd: TestFrontEnd, label = 'api'): Promise<HttpClient> {
  const client = frontEnd.client();
  const res = await client.post('/api/v1/register', newAccount(label), { csrf: false });
  expect(res.statusCode).toBe(201);
  return client;
}

let productCount = 0;
/** A draught lager as POST /api/v1/products takes it: a pint at €6.00 and a half at €3.20. */
export function lager(overrides: Record<string, unknown> = {}) {
  productCount += 1;
  return {
    name: `Lager ${productCount}`,
    category: 'draught',
    abv: 4.3,
    vatClass: 'standard',
    unitMl: 50_000,
    unitCostCents: 12_000,
    parUnits: 2,
    servings: [
      { name: 'Pint', ml: 568, priceCents: 600 },
      { name: 'Half', ml: 284, priceCents: 320 },
    ],
    ...overrides,
  };
}

export interface ProductBody {
  id: string;
  name: string;
  servings: { id: string; name: string; priceCents: number }[];
}

/** A lager, created with 201. */
export async function createProduct(client: HttpClient, overrides: Record<string, unknown> = {}): Promise<ProductBody> {
  const res = await client.post('/api/v1/products', lager(overrides));
  expect(res.statusCode).toBe(201);
  return res.json<ProductBody>();
}

/** venue.ts's stout (a pint at €5.60, a half at €3.00), created with 201. */
export async function createProductOverHttp(client: HttpClient, overrides: Parameters<typeof productInput>[0] = {}): Promise<Product> {
  const res = await client.post('/api/v1/products', productInput(overrides));
  expect(res.statusCode).toBe(201);
  return res.json<Product>();
}

export const pint = (p: Product) => p.servings.find((s) => s.name === 'Pint')!.id;
export const half = (p: Product) => p.servings.find((s) => s.name === 'Half')!.id;

/** A new tab with one pint of `product` on it. */
export async function openTabWithPint(client: HttpClient, product: Product, name = 'Tab'): Promise<Tab> {
  const opened = await client.post('/api/v1/tabs', { name });
  expect(opened.statusCode).toBe(201);
  const tab = opened.json<Tab>();
  const added = await client.post('/api/v1/tabs/lines', { tabId: tab.id, servingId: pint(product), quantity: 1 });
  expect(added.statusCode).toBe(200);
  return added.json<Tab>();
}

/** A half of `product` sold and paid in cash at once (€3.00). */
export async function quickSale(client: HttpClient, product: Product): Promise<Sale> {
  const res = await client.post('/api/v1/sales', { lines: [{ servingId: half(product), quantity: 1 }], payments: [{ method: 'cash', amountCents: 300 }] });
  expect(res.statusCode).toBe(201);
  return res.json<Sale>();
}

/** A worker and a front end with venue "http-a", its bartender and one product: where most API route tests start. */
export interface HttpBar {
  worker: Worker;
  frontEnd: TestFrontEnd;
  a: HttpVenue;
  aBartender: HttpClient;
  aProduct: Product;
}

export async function httpBar(): Promise<HttpBar> {
  const worker = await startWorker();
  const frontEnd = await startFrontEnd();
  const a = await registerOverHttp(frontEnd, 'http-a');
  const aBartender = (await staffOverHttp(frontEnd, a, 'bartender')).client;
  return { worker, frontEnd, a, aBartender, aProduct: await createProductOverHttp(a.manager) };
}
