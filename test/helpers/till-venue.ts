/**
 * A bar set up the way the till's browser tests need it, through the real
 * API and worker (no SQL shortcuts): a manager logged in on a browser
 * context, the benchmark's pub catalogue (60 products, each with two
 * servings) spread over all 7 categories, and 16 open tabs with drinks on
 * them. Cookies land in the context, so its pages are logged in too.
 * bench/till-taps.ts seeds its venue with it as well.
 */
import type { APIRequestContext, BrowserContext, Page } from 'playwright-core';
import { baseCatalogue } from '../../bench/lib/catalogue.js';
import type { Product, Tab } from './venue.js';

let accounts = 0;
/** A new venue and its manager's login (the benchmark uses this file too, so it needs nothing of venue.ts but types). */
function newAccount(label: string) {
  accounts += 1;
  const tag = `${label}-${Date.now().toString(36)}-${accounts}-${process.pid}`;
  return { venueName: `The ${tag}`, name: `Owner ${accounts}`, email: `${tag}@example.ie`, password: `correct horse ${tag}` };
}

export interface TillVenue {
  baseUrl: string;
  venueId: string;
  managerId: string;
  account: ReturnType<typeof newAccount>;
  csrfToken: string;
  products: Product[];
  tabs: Tab[];
  /** The id of a product's serving, by their names. */
  serving(product: string, serving: string): string;
}

/** The benchmark's 60 pub products, with the snacks in "other" (crisps are standard-rated, not food): 7 categories. */
export function tillCatalogue() {
  return baseCatalogue().map((p) =>
    p.name === 'Tayto Crisps' || p.name === 'Dry Roasted Peanuts' ? { ...p, category: 'other', vatClass: 'standard' as const } : p,
  );
}

async function ok(response: Awaited<ReturnType<APIRequestContext['post']>>, what: string): Promise<unknown> {
  if (response.status() >= 300) throw new Error(`${what} failed: ${response.status()} ${await response.text()}`);
  return response.json();
}

/**
 * Registers a new venue on `context` (its manager's session cookie stays in
 * the context), fills the catalogue and opens `tabCount` tabs, each with a
 * pint or two on it.
 */
export async function seedTillVenue(context: BrowserContext, baseUrl: string, { tabCount = 16, label = 'till' } = {}): Promise<TillVenue> {
  const request = context.request;
  const account = newAccount(label);
  const registered = (await ok(await request.post(`${baseUrl}/api/v1/register`, { data: account }), 'register')) as {
    csrfToken: string;
    staff: { id: string };
    venue: { id: string };
  };
  const headers = { 'x-csrf-token': registered.csrfToken };
  const post = async (path: string, data: object) => ok(await request.post(`${baseUrl}/api/v1${path}`, { data, headers }), `POST ${path}`);

  const products: Product[] = [];
  const seeds = tillCatalogue();
  for (let i = 0; i < seeds.length; i += 6) {
    // A few at a time: each creation locks the venue's catalogue order.
    products.push(...((await Promise.all(seeds.slice(i, i + 6).map((p) => post('/products', p)))) as Product[]));
  }
  const byName = new Map(products.map((p) => [p.name, p]));
  const serving = (product: string, name: string): string => {
    const found = byName.get(product)?.servings.find((s) => s.name === name);
    if (!found) throw new Error(`no serving ${product} · ${name}`);
    return found.id;
  };

  const pint = serving('Guinness', 'Pint');
  const tabs: Tab[] = [];
  for (let i = 1; i <= tabCount; i += 1) {
    const tab = (await post('/tabs', { name: i % 5 === 0 ? `Birthday party ${i}` : `Table ${i}` })) as Tab;
    tabs.push((await post('/tabs/lines', { tabId: tab.id, servingId: pint, quantity: 1 + (i % 2) })) as Tab);
  }
  return { baseUrl, venueId: registered.venue.id, managerId: registered.staff.id, account, csrfToken: registered.csrfToken, products, tabs, serving };
}

// What runs in the page is written as source text: test/ is type-checked
// without the DOM's types (Node's and the DOM's globals clash).

/** A marker on the page's window: still there later means the page never loaded again. */
export async function markPage(page: Page): Promise<void> {
  await page.evaluate('window.tillMarker = 1');
}

export interface ScreenState {
  marker: boolean;
  navigations: number;
  scrollX: number;
  scrollY: number;
  /** For each selector: its element is shown and wholly inside the viewport. */
  inView: Record<string, boolean>;
  /** How far the page is wider than the viewport (0 or less: nothing scrolls sideways). */
  overflowX: number;
}

/** What the tests check after every tap: no new page load, no scroll, the panel's total and pay controls in view. */
export async function screenState(page: Page, selectors: string[]): Promise<ScreenState> {
  return page.evaluate(`(() => {
    const inView = (el) => {
      if (!el || !el.checkVisibility()) return false;
      const r = el.getBoundingClientRect();
      return r.width > 0 && r.height > 0 && r.top >= 0 && r.left >= 0 && r.bottom <= window.innerHeight + 0.5 && r.right <= window.innerWidth + 0.5;
    };
    return {
      marker: window.tillMarker === 1,
      navigations: performance.getEntriesByType('navigation').length,
      scrollX: window.scrollX,
      scrollY: window.scrollY,
      inView: Object.fromEntries(${JSON.stringify(selectors)}.map((s) => [s, inView(document.querySelector(s))])),
      overflowX: document.documentElement.scrollWidth - window.innerWidth,
    };
  })()`);
}

export interface TapTarget {
  tag: string;
  name: string;
  width: number;
  height: number;
}

/** Every control shown on the page that a person can tap (links, buttons, inputs, selects, summaries), with its size. */
export async function tapTargets(page: Page): Promise<TapTarget[]> {
  return page.evaluate(`[...document.querySelectorAll('a[href], button, input:not([type="hidden"]), select, textarea, summary')]
    .filter((el) => el.checkVisibility({ visibilityProperty: true, opacityProperty: true }) && el.getClientRects().length > 0)
    .map((el) => {
      const r = el.getBoundingClientRect();
      const name = el.getAttribute('data-testid') || el.id || (el.textContent || '').trim().replace(/\\s+/g, ' ').slice(0, 40);
      return { tag: el.tagName.toLowerCase(), name, width: Math.round(r.width * 10) / 10, height: Math.round(r.height * 10) / 10 };
    })`);
}

/** Waits until htmx has no request in flight and nothing left to swap or settle. */
export async function settled(page: Page): Promise<void> {
  // A function, not source text: waitForFunction evaluates text with eval, which the till's CSP refuses.
  await page.waitForFunction(
    () => !(globalThis as unknown as { document: { querySelector(s: string): unknown } }).document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling'),
  );
}

/**
 * One tap that talks to the server (a product, a tab, +, Pay...): clicks,
 * waits for the till's answer and for htmx to put it in place.
 */
export async function tapAndWait(page: Page, selector: string): Promise<void> {
  const answered = page.waitForResponse((r) => new URL(r.url()).pathname.startsWith('/till'));
  await page.click(selector);
  await answered;
  await settled(page);
}

/** Logs a fresh browser context in as the venue's manager. */
export async function logIn(context: BrowserContext, venue: TillVenue): Promise<void> {
  const res = await context.request.post(`${venue.baseUrl}/api/v1/login`, { data: { email: venue.account.email, password: venue.account.password } });
  if (res.status() !== 200) throw new Error(`login failed: ${res.status()} ${await res.text()}`);
}
