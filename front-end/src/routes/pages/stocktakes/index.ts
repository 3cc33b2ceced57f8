import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { actions, Errors, isCodedError, withField, type ReplyOf, type RequestOf } from '@barback/messaging';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { toHttpError } from '../../../plugins/app/error-handler.js';
import { callOptions } from '../../../services/auth.js';
import { FORM_KEY_FIELD, formWriteOptions, newFormKey } from '../../../services/calls.js';
import { euros, toCsv } from '../../../services/csv.js';
import { CATEGORY_LABELS, displayHelpers, layoutData, PAGE, submitForm } from '../../../services/pages.js';

type Report = ReplyOf<'stocktakes.getVarianceReport'>;
type Product = ReplyOf<'catalogue.listProducts'>['items'][number];

/**
 * The count sheet's own script (public/count-sheet.js): counts queued on the
 * tablet and sent with fetch, so a dropped connection loses none. Read once;
 * revalidated by its etag, so a tablet picks up a new version at once.
 */
const COUNT_SHEET = readFileSync(new URL('../../../../public/count-sheet.js', import.meta.url));
const COUNT_SHEET_ETAG = `"${createHash('sha256').update(COUNT_SHEET).digest('base64url').slice(0, 16)}"`;

const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });
const CountBody = Type.Object({
  productId: Type.String(),
  fullUnits: Type.String(),
  partialTenths: Type.Optional(Type.String()),
  partialGrams: Type.Optional(Type.String()),
  [FORM_KEY_FIELD]: Type.Optional(Type.String()),
  _csrf: Type.Optional(Type.String()),
});
const CloseBody = Type.Object({
  uncounted: Type.Optional(Type.String()),
  [FORM_KEY_FIELD]: Type.Optional(Type.String()),
  _csrf: Type.Optional(Type.String()),
});
const FormOnly = Type.Object({ [FORM_KEY_FIELD]: Type.Optional(Type.String()), _csrf: Type.Optional(Type.String()) });

/** A whole number typed into a form, or null: the page's own check, so a slip is named beside its field. */
function wholeNumber(value: string | undefined): number | null {
  const v = value?.trim() ?? '';
  return /^\d{1,6}$/.test(v) ? Number(v) : null;
}

/** Units for a person: up to 3 decimal places, no trailing zeros. */
const units = (n: number) => String(Math.round(n * 1000) / 1000);

/** The contract's most full containers, checked here too so the refusal is in the sheet's words. */
const MAX_FULL_UNITS = actions['stocktakes.recordCount'].request.properties.fullUnits.maximum ?? Number.MAX_SAFE_INTEGER;

/** A posted count as recordCount takes it; a slip is refused naming the form's field, so it shows beside it. */
function countRequest(stocktakeId: string, body: { productId: string; fullUnits: string; partialTenths?: string | undefined; partialGrams?: string | undefined }): RequestOf<'stocktakes.recordCount'> {
  const fullUnits = wholeNumber(body.fullUnits);
  if (fullUnits === null) throw withField(new Errors.validation('Full containers: enter a whole number.'), 'fullUnits');
  if (fullUnits > MAX_FULL_UNITS) throw withField(new Errors.validation(`Full containers: at most ${MAX_FULL_UNITS}.`), 'fullUnits');
  const grams = body.partialGrams?.trim() ? wholeNumber(body.partialGrams) : undefined;
  if (grams === null) throw withField(new Errors.validation('Weight: enter whole grams.'), 'partialGrams');
  const partial = grams === undefined ? { partialTenths: wholeNumber(body.partialTenths) ?? 0 } : { partialGrams: grams };
  return { stocktakeId, productId: body.productId, fullUnits, ...partial };
}

/** The count sheet's script asks for JSON (Accept), so it need not follow a redirect or read a page. */
const wantsJson = (request: FastifyRequest) => (request.headers.accept ?? '').includes('application/json');

const NO_LOCATION = 'No location';

interface SheetRow {
  productId: string;
  name: string;
  category: string;
}

/**
 * A category's rows by where they are kept, so a person walks the cellar shelf
 * by shelf: places in alphabetical order, those with none last under "No
 * location". A category where nothing has a place is one list with no
 * sub-heading (a venue that never set a location sees the sheet as before).
 * Within a place, the till's order (`order`), whether counted yet or not, so a
 * row does not jump when it is counted.
 */
function byLocation<R extends SheetRow>(rows: R[], products: ReadonlyMap<string, Pick<Product, 'location'>>, order: ReadonlyMap<string, number>) {
  const place = (r: R) => products.get(r.productId)?.location ?? null;
  const sorted = [...rows].sort((a, b) => (order.get(a.productId) ?? Infinity) - (order.get(b.productId) ?? Infinity) || a.name.localeCompare(b.name));
  if (sorted.every((r) => place(r) === null)) return sorted.length ? [{ label: null, rows: sorted }] : [];
  const places = new Map<string, R[]>();
  for (const r of sorted) {
    const key = place(r) ?? '';
    places.set(key, [...(places.get(key) ?? []), r]);
  }
  return [...places.entries()]
    .sort(([a], [b]) => (a === '' ? 1 : b === '' ? -1 : a.localeCompare(b, 'en-IE', { sensitivity: 'base' })))
    .map(([key, list]) => ({ label: key === '' ? NO_LOCATION : key, rows: list }));
}

/**
 * Stocktake pages: the list (start one), the count sheet made for a tablet in
 * a cold cellar (one big form per product, grouped by category, tenths or a
 * weight; each form carries its own key, so a count resubmitted over a flaky
 * connection applies once and a count is never lost: the page says which are
 * done), the close, the variance report with its CSV, and the reorder list
 * with its CSV.
 */
const stocktakePages: FastifyPluginAsync = async (fastify) => {
  const pages = fastify.withTypeProvider<TypeBoxTypeProvider>();

  const renderList = async (request: FastifyRequest, reply: FastifyReply, status: number, formError: string | null) => {
    const [session, list] = await Promise.all([fastify.auth.me(request), fastify.rpc.call('stocktakes.listStocktakes', {}, callOptions(request))]);
    const show = displayHelpers(session.venue.timeZone);
    return reply.code(status).view('stock/stocktakes', {
      ...(await layoutData(request, reply, 'stocktakes')),
      title: 'Stocktakes',
      formError,
      manager: session.staff.role === 'manager',
      formKey: newFormKey(),
      hasOpen: list.items.some((s) => s.status === 'open'),
      rows: list.items.map((s) => ({ id: s.id, countedAt: show.dateTime(s.countedAt), status: s.status, counted: s.counted })),
    });
  };

  pages.get('/stocktakes', { schema: PAGE, preValidation: fastify.requireUserPage }, async (request, reply) => renderList(request, reply, 200, null));

  pages.post('/stocktakes', { schema: { body: FormOnly, ...PAGE }, preValidation: [fastify.checkCsrf, fastify.requireUserPage] }, async (request, reply) =>
    submitForm(reply, {
      write: async () => `/stocktakes/${(await fastify.rpc.call('stocktakes.startStocktake', {}, formWriteOptions(request))).id}`,
      render: (problem) => renderList(request, reply, problem.status, problem.formError ?? Object.values(problem.errors)[0] ?? null),
    }),
  );

  const renderSheet = async (request: FastifyRequest, id: string, reply: FastifyReply, status: number, formError: string | null) => {
    const opts = callOptions(request);
    const [session, stocktake, products] = await Promise.all([
      fastify.auth.me(request),
      fastify.rpc.call('stocktakes.getStocktake', { id }, opts),
      fastify.rpc.call('catalogue.listProducts', { includeArchived: true }, opts),
    ]);
    const show = displayHelpers(session.venue.timeZone);
    const byId = new Map(products.items.map((p) => [p.id, p]));
    const counts = new Map(stocktake.counts.map((c) => [c.productId, c]));
    const rows = [...stocktake.counts.map((c) => ({ productId: c.productId, name: c.name, category: c.category })), ...stocktake.uncounted];
    // listProducts comes in the till's order (category, place, name).
    const order = new Map(products.items.map((p, i) => [p.id, i]));
    const groups = Object.entries(CATEGORY_LABELS)
      .map(([category, label]) => ({
        label,
        locations: byLocation(
          rows.filter((r) => r.category === category),
          byId,
          order,
        ).map((place) => ({
          label: place.label,
          products: place.rows.map((r) => {
            const p = byId.get(r.productId);
            const c = counts.get(r.productId);
            return {
              id: r.productId,
              name: r.name,
              weighable: p?.fullWeightGrams != null && p.emptyWeightGrams != null,
              weights: p?.fullWeightGrams != null && p.emptyWeightGrams != null ? `${p.emptyWeightGrams}–${p.fullWeightGrams} g` : '',
              counted: c ? `${units(c.countedUnits)}${c.fromExpected ? ' (system figure)' : ''}` : null,
              fullUnits: c?.fullUnits ?? '',
              partialTenths: c?.partialTenths ?? 0,
              partialGrams: c?.partialGrams ?? '',
              formKey: newFormKey(),
            };
          }),
        })),
      }))
      .filter((g) => g.locations.length > 0);
    return reply.code(status).view('stock/stocktake', {
      ...(await layoutData(request, reply, 'stocktakes')),
      title: 'Stocktake',
      formError,
      open: stocktake.status === 'open',
      manager: session.staff.role === 'manager',
      id: stocktake.id,
      countedAt: show.dateTime(stocktake.countedAt),
      progress: { done: stocktake.counts.length, total: rows.length },
      uncounted: stocktake.uncounted.map((u) => u.name),
      groups,
      closeKey: newFormKey(),
    });
  };

  pages.get('/stocktakes/:id', { schema: { params: IdParams, ...PAGE }, preValidation: fastify.requireUserPage }, async (request, reply) =>
    renderSheet(request, request.params.id, reply, 200, null),
  );

  pages.post(
    '/stocktakes/:id/count',
    { schema: { params: IdParams, body: CountBody, ...PAGE }, preValidation: [fastify.checkCsrf, fastify.requireUserPage] },
    async (request, reply) => {
      const body = request.body;
      if (wantsJson(request)) {
        // The count sheet's script (public/count-sheet.js): the count, or a refusal naming the field, as JSON.
        // The same idempotency key as the form, so a count sent again after a lost reply applies once.
        try {
          const count = await fastify.rpc.call('stocktakes.recordCount', countRequest(request.params.id, body), formWriteOptions(request));
          return await reply.send({ productId: count.productId, countedUnits: count.countedUnits, counted: units(count.countedUnits) });
        } catch (err) {
          if (!isCodedError(err)) throw err;
          const http = toHttpError(err);
          // Only a definite refusal is answered here; a session that ended, or a fault, goes to the error handler
          // (a redirect to log in, a 5xx), which the script keeps the count through.
          if (http.statusCode >= 500 || http.code === 'BB_SESSION_INVALID' || http.code === 'BB_NOT_AUTHENTICATED' || http.code === 'BB_PASSWORD_CHANGE_REQUIRED') throw err;
          return reply.code(http.statusCode).send({ error: { code: http.code, message: http.message, ...(http.field ? { field: http.field } : {}) } });
        }
      }
      return submitForm(reply, {
        write: async () => {
          await fastify.rpc.call('stocktakes.recordCount', countRequest(request.params.id, body), formWriteOptions(request));
          return `/stocktakes/${request.params.id}#p-${body.productId}`;
        },
        render: (problem) => renderSheet(request, request.params.id, reply, problem.status, problem.formError ?? Object.values(problem.errors)[0] ?? null),
      });
    },
  );

  pages.post(
    '/stocktakes/:id/close',
    { schema: { params: IdParams, body: CloseBody, ...PAGE }, preValidation: [fastify.checkCsrf, fastify.requireUserPage] },
    async (request, reply) =>
      submitForm(reply, {
        write: async () => {
          const uncounted = request.body.uncounted === 'expected' ? { uncounted: 'expected' as const } : {};
          await fastify.rpc.call('stocktakes.closeStocktake', { stocktakeId: request.params.id, ...uncounted }, formWriteOptions(request));
          return `/stocktakes/${request.params.id}/variance`;
        },
        render: (problem) => renderSheet(request, request.params.id, reply, problem.status, problem.formError ?? Object.values(problem.errors)[0] ?? null),
      }),
  );

  fastify.get('/static/count-sheet.js', { schema: PAGE }, async (request, reply) => {
    reply.header('cache-control', 'no-cache').header('etag', COUNT_SHEET_ETAG).type('text/javascript');
    if (request.headers['if-none-match'] === COUNT_SHEET_ETAG) return reply.code(304).send();
    return reply.send(COUNT_SHEET);
  });

  const report = (request: FastifyRequest, id: string): Promise<Report> => fastify.rpc.call('stocktakes.getVarianceReport', { id }, callOptions(request));

  pages.get('/stocktakes/:id/variance', { schema: { params: IdParams, ...PAGE }, preValidation: fastify.requireUserPage }, async (request, reply) => {
    const [session, r] = await Promise.all([fastify.auth.me(request), report(request, request.params.id)]);
    const show = displayHelpers(session.venue.timeZone);
    return reply.view('stock/variance', {
      ...(await layoutData(request, reply, 'stocktakes')),
      title: 'Variance',
      from: show.dateTime(r.from),
      to: show.dateTime(r.to),
      csvHref: `/stocktakes/${request.params.id}/variance.csv`,
      lines: r.lines.map((l) => ({
        name: l.name,
        opening: units(l.openingUnits),
        delivered: units(l.deliveredUnits),
        wasted: units(l.wastedUnits),
        closing: `${units(l.closingUnits)}${l.closingFromExpected ? '*' : ''}`,
        used: units(l.usedUnits),
        sold: units(l.soldUnits),
        variance: units(l.varianceUnits),
        pints: l.variancePints === null ? '' : `${(Math.round(l.variancePints * 10) / 10).toFixed(1)} pints`,
        percent: l.variancePercent === null ? '—' : `${l.variancePercent.toFixed(1)}%`,
        cost: show.euro(l.varianceCostCents),
        costCents: l.varianceCostCents,
        retail: show.euro(l.varianceRetailCents),
        loss: l.varianceCostCents < 0,
      })),
      totals: {
        cost: show.euro(r.totals.varianceCostCents),
        retail: show.euro(r.totals.varianceRetailCents),
        sales: show.euro(r.totals.salesNetCents),
        costOfSales: show.euro(r.totals.costOfSalesCents),
        pourCost: r.totals.pourCostPercent === null ? '—' : `${r.totals.pourCostPercent.toFixed(1)}%`,
      },
      faults: r.faults.map((f) => f.message),
    });
  });

  pages.get('/stocktakes/:id/variance.csv', { schema: { params: IdParams, ...PAGE }, preValidation: fastify.requireUserPage }, async (request, reply) => {
    const r = await report(request, request.params.id);
    const rows = r.lines.map((l) => [
      l.name,
      l.category,
      l.openingUnits,
      l.deliveredUnits,
      l.wastedUnits,
      l.closingUnits,
      l.usedUnits,
      l.soldUnits,
      l.varianceUnits,
      l.variancePints,
      l.variancePercent,
      euros(l.unitCostCents),
      euros(l.varianceCostCents),
      euros(l.varianceRetailCents),
      euros(l.salesNetCents),
      euros(l.costOfSalesCents),
      l.closingFromExpected ? 'system figure' : 'counted',
    ]);
    rows.push(['Total', '', null, null, null, null, null, null, null, null, null, '', euros(r.totals.varianceCostCents), euros(r.totals.varianceRetailCents), euros(r.totals.salesNetCents), euros(r.totals.costOfSalesCents), r.totals.pourCostPercent === null ? '' : `pour cost ${r.totals.pourCostPercent}%`]);
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', 'attachment; filename="variance.csv"')
      .send(
        toCsv(
          ['product', 'category', 'opening_units', 'delivered_units', 'wasted_units', 'closing_units', 'used_units', 'sold_units', 'variance_units', 'variance_pints', 'variance_percent', 'unit_cost_eur', 'variance_cost_eur', 'variance_retail_eur', 'sales_net_eur', 'cost_of_sales_eur', 'closing'],
          rows,
        ),
      );
  });

  pages.get('/reorder', { schema: PAGE, preValidation: fastify.requireUserPage }, async (request, reply) => {
    const [session, list] = await Promise.all([fastify.auth.me(request), fastify.rpc.call('stock.getReorderList', {}, callOptions(request))]);
    const show = displayHelpers(session.venue.timeZone);
    return reply.view('stock/reorder', {
      ...(await layoutData(request, reply, 'reorder')),
      title: 'Reorder',
      groups: list.groups.map((g) => ({
        supplier: g.supplier?.name ?? 'No supplier yet',
        contact: [g.supplier?.email, g.supplier?.phone].filter(Boolean).join(' · '),
        lines: g.lines.map((l) => ({ name: l.name, onHand: units(l.stockUnits), par: units(l.parUnits), order: l.orderUnits, cost: show.euro(l.costCents) })),
        cost: show.euro(g.costCents),
      })),
      total: show.euro(list.costCents),
    });
  });

  pages.get('/reorder.csv', { schema: PAGE, preValidation: fastify.requireUserPage }, async (request, reply) => {
    const list = await fastify.rpc.call('stock.getReorderList', {}, callOptions(request));
    const rows = list.groups.flatMap((g) =>
      g.lines.map((l) => [g.supplier?.name ?? '', l.name, l.category, l.stockUnits, l.parUnits, l.orderUnits, euros(l.unitCostCents), euros(l.costCents)]),
    );
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', 'attachment; filename="reorder.csv"')
      .send(toCsv(['supplier', 'product', 'category', 'on_hand_units', 'par_units', 'order_units', 'unit_cost_eur', 'cost_eur'], rows));
  });
};

export default stocktakePages;
