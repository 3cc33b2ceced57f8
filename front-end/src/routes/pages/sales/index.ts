import { Errors, isCodedError, type ReplyOf, type RequestOf } from '@barback/messaging';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { callOptions } from '../../../services/auth.js';
import { FORM_KEY_FIELD, formWriteOptions } from '../../../services/calls.js';
import { euros, toCsv } from '../../../services/csv.js';
import type { FieldErrors } from '../../../services/forms.js';
import { displayHelpers, keyFor, layoutData, PAGE, submitForm } from '../../../services/pages.js';
import { everyPage } from './collect.js';

type Sale = ReplyOf<'sales.getSale'>;
type Method = Sale['payments'][number]['method'];

/** Sales on one page of the list: each shows its lines, so a page is a screenful of reading, not a table of 500. */
const PAGE_SIZE = 25;
/** The CSV reads the range 500 sales at a time (the most listSales answers)... */
const CSV_PAGE = 500;
/**
 * ...and stops at this many: about two months of a busy pub, some 10 MB of
 * CSV built in memory. A longer range is refused (400, naming `to`) rather
 * than cut short, so an export never silently leaves sales out.
 */
const CSV_MAX_SALES = 20_000;

const METHODS: ReadonlyArray<{ value: Method; label: string }> = [
  { value: 'cash', label: 'Cash' },
  { value: 'card', label: 'Card' },
  { value: 'other', label: 'Other' },
];
const METHOD_LABEL = Object.fromEntries(METHODS.map((m) => [m.value, m.label])) as Record<Method, string>;

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * As typed into the filter (or kept in a page link): every value is a string
 * the page checks itself, so its message goes beside the field.
 */
const ListQuery = Type.Object({
  from: Type.Optional(Type.String()),
  to: Type.Optional(Type.String()),
  cursor: Type.Optional(Type.String()),
});
const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });
const SaleQuery = Type.Object({ refunded: Type.Optional(Type.String()) });
const RefundBody = Type.Object({
  scope: Type.Optional(Type.String()),
  // One ticked box posts a string, several an array.
  lineIds: Type.Optional(Type.Union([Type.String(), Type.Array(Type.String())])),
  reason: Type.Optional(Type.String()),
  method: Type.Optional(Type.String()),
  [FORM_KEY_FIELD]: Type.Optional(Type.String()),
  _csrf: Type.Optional(Type.String()),
});
type RefundForm = typeof RefundBody.static;

/** A date typed into the filter, when it is a real one in the years the contract takes. */
function calendarDate(value: string): string | null {
  const m = DATE.exec(value);
  if (!m) return null;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const d = new Date(Date.UTC(year, month - 1, day));
  if (year < 2000 || year > 2100 || d.getUTCMonth() !== month - 1 || d.getUTCDate() !== day) return null;
  return value;
}

/**
 * The filter's business days: none typed is the day under way; one alone is
 * that day; `to` before `from` is refused beside `to`.
 */
function daysFilter(query: { from?: string; to?: string }): { filter: RequestOf<'sales.listSales'>; values: { from: string; to: string }; errors: FieldErrors } {
  const values = { from: query.from?.trim() ?? '', to: query.to?.trim() ?? '' };
  const errors: FieldErrors = {};
  const days: { from?: string; to?: string } = {};
  for (const field of ['from', 'to'] as const) {
    if (!values[field]) continue;
    const date = calendarDate(values[field]);
    if (date) days[field] = date;
    else errors[field] = 'Enter a date, like 2026-03-01.';
  }
  if (days.from && days.to && days.to < days.from) errors.to = 'The last day must not be before the first.';
  const filter: RequestOf<'sales.listSales'> =
    days.from || days.to ? { ...(days.from ? { fromDay: days.from } : {}), ...(days.to ? { toDay: days.to } : {}) } : { currentDay: true };
  return { filter, values, errors };
}

/** A VAT rate in basis points for a person or a spreadsheet: 2300 → 23, 1350 → 13.5. */
const ratePercent = (bp: number) => String(bp / 100);

/** The one method a sale was paid by, or null for a split payment. */
function onlyMethod(sale: Sale): Method | null {
  const [only, ...others] = new Set(sale.payments.map((p) => p.method));
  return only !== undefined && others.length === 0 ? only : null;
}

/** An instant as the venue's wall clock reads it, for a spreadsheet: 2026-12-04 23:15:02. */
function localStamp(timeZone: string): (iso: string) => string {
  const f = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  });
  return (iso) => {
    const p = Object.fromEntries(f.formatToParts(new Date(iso)).map((x) => [x.type, x.value]));
    return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}:${p.second}`;
  };
}

/**
 * Managers' sales history: the business day under way (it rolls over at the
 * venue's businessDayStartHour, by its time zone: the worker works the days
 * out, see handlers/sales/list-sales.ts) or any range of days, newest first,
 * a page at a time; each sale with its lines, payments, refunds and voids;
 * one sale's page with the refund form; and the range's sale lines as CSV.
 * listSales itself is open to bartenders (the API's till clients use it):
 * these pages are for managers, and say so to anyone else.
 */
const salesPages: FastifyPluginAsync = async (fastify) => {
  const pages = fastify.withTypeProvider<TypeBoxTypeProvider>();

  const managerSession = async (request: FastifyRequest) => {
    const session = await fastify.auth.me(request);
    if (session.staff.role !== 'manager') throw new Errors.forbidden('Only a manager can see the sales history.');
    return session;
  };

  /** A sale as the pages show it: amounts and times in words, in the venue's zone. */
  const shownSale = (sale: Sale, show: ReturnType<typeof displayHelpers>) => {
    const lineNames = new Map(sale.lines.map((l) => [l.id, l.description]));
    const refundedCents = sale.refunds.reduce((t, r) => t + r.grossCents, 0);
    return {
      id: sale.id,
      name: sale.name,
      href: `/sales/${sale.id}`,
      closedAt: show.dateTime(sale.closedAt),
      closedBy: sale.closedBy.name,
      lines: sale.lines.map((l) => ({
        id: l.id,
        description: l.description,
        quantity: l.quantity,
        unitPrice: show.euro(l.unitPriceCents),
        gross: show.euro(l.grossCents),
        rate: `${ratePercent(l.vatRateBp)}%`,
        vat: show.euro(l.vatCents),
        refunded: l.refunded,
      })),
      payments: sale.payments.map((p) => `${METHOD_LABEL[p.method]} ${show.euro(p.amountCents)}`).join(', '),
      refunds: sale.refunds.map((r) => ({
        at: show.dateTime(r.refundedAt),
        by: r.refundedBy.name,
        reason: r.reason,
        method: METHOD_LABEL[r.method],
        amount: show.euro(r.grossCents),
        lines: r.lines.map((l) => lineNames.get(l.lineId) ?? l.lineId).join(', '),
      })),
      voids: sale.voids.map((v) => ({
        at: show.dateTime(v.voidedAt),
        by: v.voidedBy?.name ?? '',
        what: `${v.quantity} × ${v.description}`,
        amount: show.euro(v.grossCents),
        reason: v.reason ?? '',
      })),
      gross: show.euro(sale.grossCents),
      vat: show.euro(sale.vatCents),
      net: show.euro(sale.netCents),
      refunded: refundedCents ? show.euro(refundedCents) : '',
      fullyRefunded: sale.lines.every((l) => l.refunded),
    };
  };

  pages.get('/sales', { schema: { querystring: ListQuery, ...PAGE }, preValidation: fastify.requireUserPage }, async (request, reply) => {
    const session = await managerSession(request);
    const show = displayHelpers(session.venue.timeZone);
    const { filter, values, errors } = daysFilter(request.query);
    const cursor = request.query.cursor?.trim();
    let status = Object.keys(errors).length ? 400 : 200;
    let formError: string | null = null;
    let list: ReplyOf<'sales.listSales'> | null = null;
    if (status === 200) {
      try {
        list = await fastify.rpc.call('sales.listSales', { ...filter, limit: PAGE_SIZE, ...(cursor ? { cursor } : {}) }, callOptions(request));
      } catch (err) {
        // Only a page link carries a cursor: one cut short or edited gets a way back to the newest sales, not an error page.
        if (!isCodedError(err) || err.field !== 'cursor') throw err;
        status = 400;
        formError = 'This page link is not valid any more: start again from the newest sales.';
      }
    }
    const sales = list?.items ?? [];
    const sum = (pick: (s: Sale) => number) => sales.reduce((t, s) => t + pick(s), 0);
    const period = list?.period;
    const days = new URLSearchParams(Object.entries(values).filter(([, v]) => v !== ''));
    const dayWords = (date: string) =>
      new Intl.DateTimeFormat('en-IE', { timeZone: 'UTC', weekday: 'short', day: 'numeric', month: 'short', year: 'numeric' }).format(new Date(`${date}T00:00:00Z`));
    return reply.code(status).view('sales/index', {
      ...(await layoutData(request, reply, 'sales')),
      title: 'Sales',
      values,
      errors,
      formError,
      timeZone: show.timeZone,
      heading: period?.fromDay
        ? period.fromDay === period.toDay
          ? `Business day ${dayWords(period.fromDay)}`
          : `Business days ${dayWords(period.fromDay)} to ${dayWords(period.toDay ?? period.fromDay)}`
        : 'Sales',
      span: period ? `${show.dateTime(period.from)} to ${show.dateTime(period.to)}` : '',
      sales: sales.map((s) => shownSale(s, show)),
      totals: {
        count: sales.length,
        gross: show.euro(sum((s) => s.grossCents)),
        vat: show.euro(sum((s) => s.vatCents)),
        net: show.euro(sum((s) => s.netCents)),
        refunds: show.euro(sum((s) => s.refunds.reduce((t, r) => t + r.grossCents, 0))),
      },
      paged: Boolean(cursor),
      newestHref: `/sales${days.size ? `?${days.toString()}` : ''}`,
      olderHref: list?.nextCursor ? `/sales?${new URLSearchParams({ ...Object.fromEntries(days), cursor: list.nextCursor }).toString()}` : null,
      csvHref: `/sales.csv${days.size ? `?${days.toString()}` : ''}`,
    });
  });

  const renderSale = async (
    request: FastifyRequest,
    reply: FastifyReply,
    id: string,
    state: { status: number; errors?: FieldErrors; formError?: string | null; posted?: RefundForm; refunded?: boolean },
  ) => {
    const session = await managerSession(request);
    const show = displayHelpers(session.venue.timeZone);
    const sale = await fastify.rpc.call('sales.getSale', { id }, callOptions(request));
    const paidBy = onlyMethod(sale);
    const posted = state.posted;
    const chosen = new Set(posted?.lineIds === undefined ? [] : ([] as string[]).concat(posted.lineIds));
    return reply.code(state.status).view('sales/sale', {
      ...(await layoutData(request, reply, 'sales')),
      title: `Sale ${sale.name}`,
      sale: shownSale(sale, show),
      timeZone: show.timeZone,
      refunded: state.refunded ?? false,
      formError: state.formError ?? null,
      errors: state.errors ?? {},
      scope: posted?.scope === 'lines' ? 'lines' : 'whole',
      refundable: sale.lines.filter((l) => !l.refunded).map((l) => ({ id: l.id, label: `${l.quantity} × ${l.description}`, amount: show.euro(l.grossCents), checked: chosen.has(l.id) })),
      values: { reason: posted?.reason ?? '', method: posted?.method ?? paidBy ?? '' },
      methods: METHODS,
      split: paidBy === null,
      key: keyFor(request, posted !== undefined),
    });
  };

  pages.get('/sales/:id', { schema: { params: IdParams, querystring: SaleQuery, ...PAGE }, preValidation: fastify.requireUserPage }, async (request, reply) =>
    renderSale(request, reply, request.params.id, { status: 200, refunded: request.query.refunded !== undefined }),
  );

  pages.post(
    '/sales/:id/refund',
    { schema: { params: IdParams, body: RefundBody, ...PAGE }, preValidation: [fastify.checkCsrf, fastify.requireUserPage] },
    async (request, reply) => {
      const body = request.body;
      const saleId = request.params.id;
      const errors: FieldErrors = {};
      const reason = body.reason?.trim() ?? '';
      if (!reason) errors.reason = 'Enter a reason: it goes on the refund and in the audit log.';
      const lineIds = body.scope === 'lines' ? ([] as string[]).concat(body.lineIds ?? []) : [];
      if (body.scope === 'lines' && lineIds.length === 0) errors.lineIds = 'Tick the lines to refund, or refund the whole sale.';
      if (lineIds.some((l) => !UUID.test(l))) errors.lineIds = 'Tick the lines to refund from the list.';
      const method = METHODS.find((m) => m.value === body.method)?.value;
      if (body.method && !method) errors.method = 'Choose cash, card or other.';
      return submitForm(reply, {
        errors,
        write: async () => {
          const refund = await fastify.rpc.call(
            'sales.refundSale',
            { saleId, reason, ...(lineIds.length ? { lineIds } : {}), ...(method ? { method } : {}) },
            formWriteOptions(request),
          );
          return `/sales/${saleId}?refunded=${refund.id}`;
        },
        // The API names lineIds.0 for a bad line; the form has one place for all of them.
        fieldFor: (field) => (field.startsWith('lineIds') ? 'lineIds' : ['reason', 'method'].includes(field) ? field : null),
        render: (problem) => renderSale(request, reply, saleId, { status: problem.status, errors: problem.errors, formError: problem.formError, posted: body }),
      });
    },
  );

  pages.get('/sales.csv', { schema: { querystring: ListQuery, ...PAGE }, preValidation: fastify.requireUserPage }, async (request, reply) => {
    const session = await managerSession(request);
    const stamp = localStamp(displayHelpers(session.venue.timeZone).timeZone);
    const { filter, errors } = daysFilter(request.query);
    if (Object.keys(errors).length) return reply.code(400).type('text/plain; charset=utf-8').send(Object.values(errors).join('\n'));
    const opts = callOptions(request);
    // The days the worker worked out (the day under way, when none was typed): the file is named by them.
    const asked: { period?: ReplyOf<'sales.listSales'>['period'] } = {};
    // Every page of the range: an export is the whole period, not the first 500 sales.
    const sales = await everyPage(async (cursor) => {
      const list = await fastify.rpc.call('sales.listSales', { ...filter, limit: CSV_PAGE, ...(cursor ? { cursor } : {}) }, opts);
      asked.period ??= list.period;
      return list;
    }, CSV_MAX_SALES);
    if (!sales) {
      return reply
        .code(400)
        .type('text/plain; charset=utf-8')
        .send(`More than ${CSV_MAX_SALES.toLocaleString('en-IE')} sales in these days: export fewer days at a time.`);
    }
    // Oldest first, as a spreadsheet of a period reads; each sale's lines in the order they were rung.
    const rows = sales.reverse().flatMap((s) => {
      const methods = [...new Set(s.payments.map((p) => p.method))].join('+');
      const closedAt = stamp(s.closedAt);
      return s.lines.map((l) => [
        s.id,
        closedAt,
        l.productName,
        l.servingName,
        l.quantity,
        euros(l.unitPriceCents),
        euros(l.grossCents),
        ratePercent(l.vatRateBp),
        euros(l.vatCents),
        euros(l.netCents),
        methods,
      ]);
    });
    const { fromDay, toDay } = asked.period ?? { fromDay: null, toDay: null };
    const name = fromDay ? `sales-${fromDay}${toDay && toDay !== fromDay ? `-to-${toDay}` : ''}.csv` : 'sales.csv';
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="${name}"`)
      .send(
        toCsv(
          ['sale_id', 'closed_at', 'product', 'serving', 'quantity', 'unit_price_eur', 'gross_eur', 'vat_rate_percent', 'vat_eur', 'net_eur', 'payment_methods'],
          rows,
        ),
      );
  });
};

export default salesPages;
