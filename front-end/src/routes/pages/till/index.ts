import { Errors, Uuid, isCodedError, type CallOptions } from '@barback/messaging';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyError, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { sendError, toHttpError, type HttpError } from '../../../plugins/app/error-handler.js';
import { callOptions, scopedRequestId } from '../../../services/auth.js';
import { postedFormKey } from '../../../services/calls.js';
import { formatEuro, parseEuro } from '../../../services/format.js';
import type { FieldErrors } from '../../../services/forms.js';
import { formValues, keyFor, layoutData } from '../../../services/pages.js';
import {
  combineLines,
  paidSummary,
  productGrid,
  quickRows,
  servingsById,
  stripTabs,
  tenderOptions,
  type Product,
  type Sale,
  type Tab,
} from './panel.js';
import { addToQuickSale, clearQuickSale, keepSold, quickDraft, quickSalePaid, removeFromQuickSale } from './quick-sale.js';

/**
 * The till. One page: open tabs in a strip, products by category, and the
 * order panel (the chosen tab or the quick sale, its total and how to pay).
 *
 * Every action is a plain form post (Post/Redirect/Get), so the till works
 * with JavaScript off. With htmx the same forms post in place: the server
 * answers a request with an `HX-Request` header with the order panel alone
 * (and the strip, out of band), refusals included, with status 200 so htmx
 * swaps it in; the page never reloads, scrolls or loses the tab it is on.
 *
 * What the till is on lives in the page, not the session: the panel carries
 * the chosen tab's id in a hidden field that belongs to the product buttons'
 * form (`form="ring"`), so a product tap goes to the tab the panel shows, and
 * after a payment the panel shows no tab: the next tap starts a quick sale,
 * never goes on another tab. Each form carries an idempotency key; the worker
 * applies a repeat once (a double tap rings once, paying twice charges once).
 */

const Category = Type.String({ minLength: 1, maxLength: 20, pattern: '^[a-z]+$' });
const TillQuery = Type.Object({
  tab: Type.Optional(Uuid),
  sale: Type.Optional(Uuid),
  tendered: Type.Optional(Type.Integer({ minimum: 0, maximum: 100_000_000 })),
  mode: Type.Optional(Type.Union([Type.Literal('split'), Type.Literal('new')])),
  category: Type.Optional(Category),
});
const PanelQuery = Type.Object({
  tab: Type.Optional(Uuid),
  mode: Type.Optional(Type.Union([Type.Literal('split'), Type.Literal('new')])),
});
const ProductsQuery = Type.Object({ category: Type.Optional(Category), tab: Type.Optional(Uuid) });
const TabParams = Type.Object({ tabId: Uuid });
const LineParams = Type.Object({ tabId: Uuid, lineId: Uuid });
const HIDE = { hide: true } as const;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Refusals that are not about the till: the person is sent where they can act on them. */
const ELSEWHERE: Readonly<Partial<Record<string, string>>> = {
  BB_SESSION_INVALID: '/login',
  BB_NOT_AUTHENTICATED: '/login',
  BB_PASSWORD_CHANGE_REQUIRED: '/password',
};

/** What the till shows, from a URL or from the outcome of a form. */
interface View {
  /** Status of a full page shown again with a refusal (htmx always gets 200). */
  status?: number;
  tabId?: string | undefined;
  /** The chosen tab when a write already answered it: no need to read it again. */
  tab?: Tab | undefined;
  mode?: 'split' | 'new' | undefined;
  saleId?: string | undefined;
  sale?: Sale | undefined;
  tenderedCents?: number | undefined;
  alert?: string | null;
  note?: string | null;
  errors?: FieldErrors;
  values?: Record<string, string>;
  /** The phone's bottom sheet opened: the action came from inside the panel, or needs it open. */
  expand?: boolean;
  /** The row whose "remove one" confirmation stays open (it has a refusal). */
  openRow?: string | null;
  /** Which form was posted: only its key is kept when the panel is shown again after a refusal. */
  postedForm?: string;
  category?: string | undefined;
  /** Where the focus goes when the control that had it is gone: the panel (a tab opened or split) or the payment's confirmation. */
  focus?: 'panel' | 'paid';
}

function isHtmx(request: FastifyRequest): boolean {
  return request.headers['hx-request'] === 'true' && request.headers['hx-history-restore-request'] !== 'true';
}

/**
 * Options for a write from a till form. The request id is the form's key
 * together with what the form does (`what`): one panel's forms share a key
 * per purpose, and two different drinks rung from one render stay two.
 */
function formCall(request: FastifyRequest, what: string): CallOptions {
  const user = request.session.get('user');
  const key = postedFormKey(request.body);
  const options = callOptions(request);
  if (!user || !key) return options;
  return { ...options, requestId: scopedRequestId(`${user.staffId}\nform`, `${key}:${what}`) };
}

/** A coded refusal to show in the panel; anything else (or a refusal that needs another page) goes on up. */
function refusalOf(err: unknown): HttpError {
  if (!isCodedError(err)) throw err;
  const http = toHttpError(err);
  if (ELSEWHERE[http.code]) throw err;
  return http;
}

/** The address that shows a view, for a redirect after a plain form post and for htmx's address bar. */
function urlOf(view: View): string {
  const q = new URLSearchParams();
  if (view.saleId ?? view.sale) {
    q.set('sale', view.saleId ?? view.sale?.id ?? '');
    if (view.tenderedCents) q.set('tendered', String(view.tenderedCents));
  } else if (view.tabId) {
    q.set('tab', view.tabId);
  }
  if (view.mode) q.set('mode', view.mode);
  const s = q.toString();
  return s ? `/till?${s}` : '/till';
}

/** A tab or sale in an address that no longer exists, or never did (another venue's): shown as gone, not as an error. */
async function orNull<T>(read: Promise<T>): Promise<T | null> {
  try {
    return await read;
  } catch (err) {
    if (isCodedError(err) && err.code === 'BB_NOT_FOUND') return null;
    throw err;
  }
}

/** Multiple checkboxes of one name arrive as an array, one as a string. */
function postedList(body: unknown, name: string): string[] {
  const value = (body as Record<string, unknown> | undefined)?.[name];
  const list = Array.isArray(value) ? (value as unknown[]) : value === undefined ? [] : [value];
  return list.filter((v): v is string => typeof v === 'string' && v.length > 0);
}

/** Cash handed over: a note's button (cents) or the amount typed; none means exact. */
function tendered(values: Record<string, string>, totalCents: number): { cents: number | null; error: string | null } {
  if (values.tendered) {
    const cents = Number(values.tendered);
    if (!Number.isSafeInteger(cents) || cents <= 0) return { cents: null, error: 'Choose the note the customer gave.' };
    return { cents, error: null };
  }
  if (values.tenderedEuro) {
    const cents = parseEuro(values.tenderedEuro);
    if (cents === null) return { cents: null, error: 'Enter the cash given in euro, like 20 or 12.50.' };
    if (cents < totalCents) return { cents: null, error: `${formatEuro(cents)} is less than the total ${formatEuro(totalCents)}.` };
    return { cents, error: null };
  }
  return { cents: null, error: null };
}

const tillPages: FastifyPluginAsync = async (fastify) => {
  const pages = fastify.withTypeProvider<TypeBoxTypeProvider>();

  /** Everything the page, the panel and the strip show for a view. */
  const model = async (request: FastifyRequest, reply: FastifyReply, view: View, withGrid: boolean) => {
    const opts = () => callOptions(request);
    const cookieUser = request.session.get('user');
    const tabId = view.tab?.id ?? view.tabId;
    const wantsTab = view.tab ? Promise.resolve(view.tab) : tabId ? orNull(fastify.rpc.call('till.getTab', { id: tabId }, opts())) : Promise.resolve(null);
    const wantsSale = view.sale ? Promise.resolve(view.sale) : view.saleId ? orNull(fastify.rpc.call('sales.getSale', { id: view.saleId }, opts())) : Promise.resolve(null);
    // The catalogue only when something shown needs it: a tap on a tab needs
    // the write and the open tabs, nothing more. Who is asking comes from the
    // session; the worker checks the account on every one of these calls.
    const needsCatalogue = withGrid || !tabId || quickDraft(request) !== null;
    const [products, open, chosen, sale, settings] = await Promise.all([
      needsCatalogue ? fastify.rpc.call('catalogue.listProducts', {}, opts()) : Promise.resolve(null),
      fastify.rpc.call('till.listOpenTabs', {}, opts()),
      wantsTab,
      wantsSale,
      // Only a bartender's panel depends on who may void.
      cookieUser?.role === 'bartender' && tabId ? fastify.rpc.call('venue.getSettings', {}, opts()) : Promise.resolve(null),
    ]);
    const items: Product[] = products?.items ?? [];
    const servings = servingsById(items);
    if (products && keepSold(request, (id) => servings.has(id)) && !view.alert) {
      view.note = 'A drink of the quick sale is no longer sold: it has been taken off.';
    }
    const tab = chosen?.status === 'open' ? chosen : null;
    const mode = view.mode === 'new' ? 'new' : tab ? (view.mode === 'split' ? 'split' : 'tab') : 'quick';
    const key = (form: string) => keyFor(request, view.postedForm === form);
    const draft = quickDraft(request);
    const quick = quickRows(draft, servings);
    const combined = tab ? combineLines(tab.lines) : { rows: [], voided: [] };
    const totalCents = tab ? tab.grossCents : mode === 'quick' ? quick.totalCents : 0;
    const isManager = cookieUser?.role === 'manager';
    const canVoid = isManager || (settings?.bartendersMayVoid ?? true);
    const paid = sale ? paidSummary(sale, view.tenderedCents ?? null) : null;
    const drinks = tab
      ? tab.lines.filter((l) => !l.voided).reduce((n, l) => n + l.quantity, 0)
      : quick.rows.reduce((n, r) => n + r.quantity, 0);
    const closedNotice =
      tabId && !tab && !(view.sale ?? view.saleId)
        ? chosen
          ? `“${chosen.name}” is already paid: the till is back on the quick sale.`
          : 'That tab was not found: the till is back on the quick sale.'
        : null;
    const payable = (mode === 'tab' || mode === 'quick') && totalCents > 0;
    const grid = withGrid ? productGrid(items, view.category ?? request.session.get('tillCategory')) : null;
    const stripQuick = quick.rows.length ? { total: formatEuro(quick.totalCents), drinks: quick.rows.reduce((n, r) => n + r.quantity, 0) } : null;
    return {
      csrfToken: reply.generateCsrf(),
      grid,
      strip: {
        tabs: stripTabs(open.items, mode === 'tab' || mode === 'split' ? (tab?.id ?? null) : null),
        quick: stripQuick,
        quickSelected: mode === 'quick',
        newSelected: mode === 'new',
      },
      panel: {
        mode,
        heading: mode === 'new' ? 'New tab' : tab ? tab.name : 'Quick sale',
        tabId: tab?.id ?? null,
        total: formatEuro(totalCents),
        totalCents,
        drinks,
        ringKey: key('ring'),
        plusKey: key('plus'),
        voidKey: key('void'),
        payKey: key('pay'),
        splitKey: key('split'),
        openKey: key('open'),
        quickKey: draft?.key ?? '',
        focus: view.focus ?? null,
        expand: Boolean(view.expand || view.alert || mode === 'new' || mode === 'split' || (view.errors && Object.keys(view.errors).length)),
        alert: view.alert ?? null,
        note: view.note ?? closedNotice,
        rows: mode === 'quick' ? quick.rows : combined.rows,
        voided: combined.voided,
        canVoid,
        openRow: view.openRow ?? null,
        payAction: tab ? `/till/tabs/${tab.id}/pay` : '/till/quick/pay',
        payable,
        exact: formatEuro(totalCents),
        notes: payable ? tenderOptions(totalCents) : [],
        splitLines: mode === 'split' && tab ? tab.lines.filter((l) => !l.voided).map((l) => ({ id: l.id, description: l.description, quantity: l.quantity, gross: formatEuro(l.grossCents) })) : [],
        chosenLines: postedList(request.body, 'lineIds'),
        paid,
        errors: view.errors ?? {},
        values: view.values ?? {},
        csrfToken: '',
      },
    };
  };

  /** The whole page: a first visit, a reload, or a plain form shown again with its refusal. */
  const page = async (request: FastifyRequest, reply: FastifyReply, view: View) => {
    const m = await model(request, reply, view, true);
    m.panel.csrfToken = m.csrfToken;
    return reply.code(view.status ?? 200).view('till', {
      ...(await layoutData(request, reply, 'till')),
      title: m.panel.mode === 'tab' || m.panel.mode === 'split' ? `Till · ${m.panel.heading}` : 'Till',
      skip: { href: '#order-panel', label: 'Skip to order' },
      ...m,
    });
  };

  /** The order panel and the strip, for htmx to swap in place; the address bar follows the view. */
  const fragment = async (request: FastifyRequest, reply: FastifyReply, view: View) => {
    const m = await model(request, reply, view, false);
    m.panel.csrfToken = m.csrfToken;
    return reply.code(200).header('hx-replace-url', urlOf(view)).view('till/fragment', m);
  };

  /** After a form: htmx gets the panel, a plain post the page again (refused) or a redirect (done). */
  const finish = async (request: FastifyRequest, reply: FastifyReply, view: View) => {
    if (isHtmx(request)) return fragment(request, reply, view);
    const refused = Boolean(view.alert) || Object.keys(view.errors ?? {}).length > 0;
    if (refused) return page(request, reply, view);
    return reply.redirect(urlOf(view), 303);
  };

  /** A refusal from the worker, shown in the panel of `view`. */
  const refused = (request: FastifyRequest, reply: FastifyReply, err: unknown, view: View) => {
    const http = refusalOf(err);
    return finish(request, reply, { ...view, status: http.statusCode, alert: http.message, expand: true });
  };

  // The session first: without one, htmx is sent to the login page (requireUserPage tells it with HX-Redirect) rather than told about a CSRF token.
  const write = [fastify.requireUserPage, fastify.checkCsrf];

  // Errors these routes do not show themselves (a bad CSRF token, a broken
  // request, a timeout while drawing the panel): the error page for a plain
  // request, and for htmx a panel that says so and keeps the till on its tab.
  fastify.setErrorHandler(async (err: FastifyError, request, reply) => {
    const http = toHttpError(err);
    if (http.statusCode >= 500) request.log.error({ err }, 'request failed');
    else request.log.info({ code: http.code, statusCode: http.statusCode }, http.message);
    if (!isHtmx(request)) return sendError(request, reply, http);
    const elsewhere = ELSEWHERE[http.code];
    if (elsewhere) {
      if (elsewhere === '/login') request.session.delete();
      return reply.header('hx-redirect', elsewhere).code(200).send('');
    }
    const body = request.body as Record<string, unknown> | undefined;
    const params = request.params as Record<string, unknown> | undefined;
    const tabId = [params?.tabId, body?.tabId].find((v): v is string => typeof v === 'string' && UUID.test(v)) ?? null;
    const alert = http.statusCode >= 500 ? 'The till could not do that. Try again; if it keeps failing, reload the page.' : http.message;
    return reply.code(200).view('till/failed', { tabId, alert });
  });

  pages.get('/till', { schema: { querystring: TillQuery, ...HIDE }, preValidation: fastify.requireUserPage }, async (request, reply) => {
    const q = request.query;
    if (q.category) request.session.set('tillCategory', q.category);
    return page(request, reply, { tabId: q.tab, saleId: q.sale, tenderedCents: q.tendered, mode: q.mode, category: q.category });
  });

  /** The panel of a tab, the quick sale or a new tab's form: a tap on the strip. */
  pages.get('/till/panel', { schema: { querystring: PanelQuery, ...HIDE }, preValidation: fastify.requireUserPage }, async (request, reply) => {
    const view: View = { tabId: request.query.tab, mode: request.query.mode, expand: request.query.mode !== undefined };
    if (!isHtmx(request)) return reply.redirect(urlOf(view), 303);
    return fragment(request, reply, view);
  });

  /** One category's product buttons: a tap on a category. */
  pages.get('/till/products', { schema: { querystring: ProductsQuery, ...HIDE }, preValidation: fastify.requireUserPage }, async (request, reply) => {
    const { category, tab } = request.query;
    if (category) request.session.set('tillCategory', category);
    if (!isHtmx(request)) return reply.redirect(urlOf({ tabId: tab }) + (category ? `${tab ? '&' : '?'}category=${category}` : ''), 303);
    const products = await fastify.rpc.call('catalogue.listProducts', {}, callOptions(request));
    return reply.view('till/products', { grid: productGrid(products.items, category), csrfToken: reply.generateCsrf(), tabId: tab ?? null });
  });

  /**
   * A product button (or a row's +): one more of a serving on the chosen tab,
   * or on the quick sale when no tab is chosen.
   */
  const ring = async (request: FastifyRequest, reply: FastifyReply, tabId: string | undefined) => {
    const values = formValues(request.body, ['servingId', 'from']);
    const servingId = values.servingId ?? '';
    const fromPanel = values.from === 'panel';
    const view: View = { tabId, expand: fromPanel };
    // Only a refused tap keeps its key on the panel drawn again; a rung one gets fresh keys, so the next tap is another drink.
    const keep: View = { postedForm: fromPanel ? 'plus' : 'ring' };
    if (!UUID.test(servingId)) throw new Errors.validation('servingId must be a serving of the till.');
    if (!tabId) {
      const problem = addToQuickSale(request, servingId, postedFormKey(request.body));
      return finish(request, reply, problem ? { ...view, ...keep, status: 400, alert: problem } : view);
    }
    try {
      const tab = await fastify.rpc.call('till.addTabLine', { tabId, servingId, quantity: 1 }, formCall(request, `ring:${servingId}`));
      return await finish(request, reply, { ...view, tab });
    } catch (err) {
      const http = refusalOf(err);
      if (http.code === 'BB_TAB_CLOSED') {
        // Paid on another till meanwhile: the drink goes nowhere, and the till does not stay on the paid tab.
        return finish(request, reply, { status: 409, alert: 'This tab has been paid: the drink was not rung up. Choose a tab or ring it as a quick sale.' });
      }
      return finish(request, reply, { ...view, ...keep, status: http.statusCode, alert: http.message });
    }
  };

  pages.post('/till/ring', { schema: HIDE, preValidation: write }, async (request, reply) => {
    const tabId = formValues(request.body, ['tabId']).tabId;
    if (tabId && !UUID.test(tabId)) throw new Errors.validation('tabId must be the id of an open tab.');
    return ring(request, reply, tabId || undefined);
  });

  // The address product buttons posted to before the till updated in place: a page still open on a till during an upgrade keeps working.
  pages.post('/till/tabs/:tabId/lines', { schema: { params: TabParams, ...HIDE }, preValidation: write }, async (request, reply) =>
    ring(request, reply, request.params.tabId),
  );

  pages.post('/till/tabs', { schema: HIDE, preValidation: write }, async (request, reply) => {
    const values = formValues(request.body, ['name']);
    const name = values.name ?? '';
    const view: View = { mode: 'new', values, postedForm: 'open' };
    if (!name) return finish(request, reply, { ...view, status: 400, alert: 'Give the tab a name or a table number.', errors: { name: 'Give the tab a name or a table number.' } });
    try {
      const tab = await fastify.rpc.call('till.openTab', { name }, formCall(request, 'open'));
      return await finish(request, reply, { tabId: tab.id, tab, focus: 'panel' });
    } catch (err) {
      const http = refusalOf(err);
      return finish(request, reply, { ...view, status: http.statusCode, alert: http.message, errors: http.field === 'name' ? { name: http.message } : {} });
    }
  });

  pages.post('/till/tabs/:tabId/lines/:lineId/void', { schema: { params: LineParams, ...HIDE }, preValidation: write }, async (request, reply) => {
    const { tabId, lineId } = request.params;
    const values = formValues(request.body, ['reason', 'reasonText', 'row']);
    const reason = values.reason || values.reasonText || '';
    const row = values.row ?? null;
    const view: View = { tabId, expand: true, openRow: row, postedForm: 'void', values: { reasonText: values.reasonText ?? '' } };
    if (!reason) {
      const message = 'Say why this drink comes off the tab.';
      return finish(request, reply, { ...view, status: 400, alert: message, errors: { [`reason.${row ?? ''}`]: message } });
    }
    try {
      const tab = await fastify.rpc.call('till.voidTabLine', { tabId, lineId, reason }, formCall(request, `void:${lineId}`));
      return await finish(request, reply, { tabId, tab, expand: true });
    } catch (err) {
      return refused(request, reply, err, view);
    }
  });

  pages.post('/till/tabs/:tabId/pay', { schema: { params: TabParams, ...HIDE }, preValidation: write }, async (request, reply) => {
    const { tabId } = request.params;
    const values = formValues(request.body, ['method', 'totalCents', 'tendered', 'tenderedEuro', 'cashAmount', 'cardAmount', 'from']);
    const view: View = { tabId, values, expand: values.from === 'panel', postedForm: 'pay', mode: values.method === 'split' ? 'split' : undefined };
    // The total the bartender saw: if the tab changed since, the worker refuses the mismatch.
    const total = Number(values.totalCents);
    if (!Number.isSafeInteger(total) || total <= 0) throw new Errors.validation('totalCents must be the amount shown on the till.');
    let payments: { method: 'cash' | 'card'; amountCents: number }[];
    let given: number | null = null;
    if (values.method === 'cash' || values.method === 'card') {
      const cash = values.method === 'cash' ? tendered(values, total) : { cents: null, error: null };
      if (cash.error) return finish(request, reply, { ...view, status: 400, alert: cash.error, errors: { tenderedEuro: cash.error } });
      given = cash.cents;
      payments = [{ method: values.method, amountCents: total }];
    } else if (values.method === 'split') {
      const cash = parseEuro(values.cashAmount || '0');
      const card = parseEuro(values.cardAmount || '0');
      const errors: FieldErrors = {};
      if (cash === null) errors.cashAmount = 'Enter the cash amount in euro, like 10.00.';
      if (card === null) errors.cardAmount = 'Enter the card amount in euro, like 2.30.';
      if (cash === 0 && card === 0) errors.cashAmount = 'Enter how much is paid in cash and how much by card.';
      const first = Object.values(errors)[0];
      if (first) return finish(request, reply, { ...view, status: 400, alert: first, errors });
      payments = [
        ...(cash ? [{ method: 'cash' as const, amountCents: cash }] : []),
        ...(card ? [{ method: 'card' as const, amountCents: card }] : []),
      ];
    } else {
      throw new Errors.validation('method must be cash, card or split.');
    }
    try {
      const sale = await fastify.rpc.call('till.closeTab', { tabId, payments }, formCall(request, `pay:${tabId}`));
      return await finish(request, reply, { sale, tenderedCents: given ?? undefined, focus: 'paid' });
    } catch (err) {
      return refused(request, reply, err, view);
    }
  });

  /** Split by lines: the chosen lines move to a new tab, which the panel then shows, ready to pay. */
  pages.post('/till/tabs/:tabId/split', { schema: { params: TabParams, ...HIDE }, preValidation: write }, async (request, reply) => {
    const { tabId } = request.params;
    const lineIds = postedList(request.body, 'lineIds');
    const view: View = { tabId, mode: 'split', expand: true, postedForm: 'split' };
    if (!lineIds.length) return finish(request, reply, { ...view, status: 400, alert: 'Tick the drinks to pay for now.' });
    try {
      const before = await fastify.rpc.call('till.getTab', { id: tabId }, callOptions(request));
      const open = before.lines.filter((l) => !l.voided).length;
      if (before.status === 'open' && lineIds.length === open && lineIds.every((id) => before.lines.some((l) => l.id === id && !l.voided))) {
        // Everything ticked: nothing to split, the whole tab is paid as it is.
        return await finish(request, reply, { tabId, tab: before, expand: true, note: 'That is everything on the tab: pay it here.' });
      }
      const tab = await fastify.rpc.call('till.splitTab', { tabId, lineIds }, formCall(request, `split:${tabId}`));
      return await finish(request, reply, { tabId: tab.id, tab, expand: true, focus: 'panel', note: `Split from “${before.name}”: pay these here; the rest stays on “${before.name}”.` });
    } catch (err) {
      return refused(request, reply, err, view);
    }
  });

  /** One fewer of a drink on the quick sale (nothing is recorded before it is paid). */
  pages.post('/till/quick/remove', { schema: HIDE, preValidation: write }, async (request, reply) => {
    removeFromQuickSale(request, formValues(request.body, ['servingId']).servingId ?? '');
    return finish(request, reply, { expand: true });
  });

  pages.post('/till/quick/clear', { schema: HIDE, preValidation: write }, async (request, reply) => {
    clearQuickSale(request);
    return finish(request, reply, {});
  });

  /**
   * Pays the quick sale: recorded under the key made when it started, so
   * however many times Pay is tapped (or the form posted again after the
   * draft is gone) there is one sale, and the repeat shows it.
   */
  pages.post('/till/quick/pay', { schema: HIDE, preValidation: write }, async (request, reply) => {
    const values = formValues(request.body, ['method', 'totalCents', 'tendered', 'tenderedEuro', 'quickKey', 'from']);
    const view: View = { values, expand: values.from === 'panel', postedForm: 'pay' };
    const last = request.session.get('lastQuickSale');
    if (last && values.quickKey === last.key) {
      return finish(request, reply, { saleId: last.saleId, tenderedCents: tendered(values, 0).cents ?? undefined, focus: 'paid' });
    }
    const draft = quickDraft(request);
    if (!draft) return finish(request, reply, { ...view, status: 400, alert: 'Nothing to pay: tap a drink first.' });
    if (values.quickKey !== draft.key) {
      return finish(request, reply, { ...view, status: 409, alert: 'This quick sale changed on another screen: check it and pay again.' });
    }
    const products = await fastify.rpc.call('catalogue.listProducts', {}, callOptions(request));
    const { totalCents } = quickRows(draft, servingsById(products.items));
    if (Number(values.totalCents) !== totalCents) {
      return finish(request, reply, { ...view, status: 409, alert: `The total is now ${formatEuro(totalCents)}: check it and pay again.` });
    }
    const method = values.method === 'card' ? 'card' : values.method === 'cash' ? 'cash' : null;
    if (!method) throw new Errors.validation('method must be cash or card.');
    const cash = method === 'cash' ? tendered(values, totalCents) : { cents: null, error: null };
    if (cash.error) return finish(request, reply, { ...view, status: 400, alert: cash.error, errors: { tenderedEuro: cash.error } });
    const user = request.session.get('user');
    const options: CallOptions = { ...callOptions(request), ...(user ? { requestId: scopedRequestId(`${user.staffId}\nquick`, draft.key) } : {}) };
    try {
      const sale = await fastify.rpc.call(
        'sales.recordSale',
        { lines: draft.lines.map(([servingId, quantity]) => ({ servingId, quantity })), payments: [{ method, amountCents: totalCents }] },
        options,
      );
      quickSalePaid(request, draft.key, sale.id);
      return await finish(request, reply, { sale, tenderedCents: cash.cents ?? undefined, focus: 'paid' });
    } catch (err) {
      return refused(request, reply, err, view);
    }
  });
};

export default tillPages;
