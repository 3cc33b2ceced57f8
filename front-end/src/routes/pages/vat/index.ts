import { isCodedError, type ReplyOf, type RequestOf } from '@barback/messaging';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { toHttpError } from '../../../plugins/app/error-handler.js';
import { callOptions } from '../../../services/auth.js';
import { euros, toCsv } from '../../../services/csv.js';
import { displayHelpers, layoutData, PAGE } from '../../../services/pages.js';

type VatReturn = ReplyOf<'vat.getVatReturn'>;

/** As typed into the address or the form: the worker checks them and names the field at fault. */
const PeriodQuery = Type.Object({
  period: Type.Optional(Type.String({ maxLength: 20 })),
  from: Type.Optional(Type.String({ maxLength: 20 })),
  to: Type.Optional(Type.String({ maxLength: 20 })),
});
const YearQuery = Type.Object({ year: Type.Optional(Type.String({ maxLength: 10 })) });

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const pad = (n: number) => String(n).padStart(2, '0');

/** Today's date by the venue's calendar: 'YYYY-MM-DD'. */
function localToday(timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
}

/** The two-month periods up to the one running today, newest first: two years' worth and the one under way. */
function recentPeriods(today: string, count = 13): string[] {
  let year = Number(today.slice(0, 4));
  let month = Number(today.slice(5, 7));
  if (month % 2 === 0) month -= 1;
  const out: string[] = [];
  for (let i = 0; i < count; i += 1) {
    out.push(`${year}-${pad(month)}`);
    month -= 2;
    if (month < 1) {
      month += 12;
      year -= 1;
    }
  }
  return out;
}

/** '2026-11' → 'November–December 2026'; short: 'Nov–Dec 2026', which fits a select on a phone. */
function periodLabel(period: string, short = false): string {
  const month = Number(period.slice(5, 7));
  const name = (m: number) => (short ? (MONTHS[m]?.slice(0, 3) ?? '?') : (MONTHS[m] ?? '?'));
  return `${name(month - 1)}–${name(month)} ${period.slice(0, 4)}`;
}

/** 1350 → '13.5%'. */
const ratePercent = (bp: number) => `${bp / 100}%`;
/** A rate for a spreadsheet: 1350 → '13.5'. */
const rateNumber = (bp: number) => String(bp / 100);

/** The VAT3's boxes, each with the one line a manager needs to trust it. */
const BOXES: { box: keyof VatReturn['ros']; title: string; explain: string }[] = [
  { box: 'T1', title: 'VAT on sales', explain: 'VAT on sales closed in the period, less the VAT of refunds made in it (a refund counts when it is made).' },
  { box: 'T2', title: 'VAT on purchases', explain: 'VAT on deliveries whose invoice date is in the period, less credit notes.' },
  { box: 'T3', title: 'Net payable', explain: 'T1 − T2 when T1 is larger: what you pay.' },
  { box: 'T4', title: 'Net repayable', explain: 'T2 − T1 when T2 is larger: what Revenue repays.' },
  { box: 'E1', title: 'Goods to other EU countries', explain: 'Intra-EU supplies of goods: none for a domestic pub.' },
  { box: 'E2', title: 'Goods from other EU countries', explain: 'Intra-EU acquisitions of goods: none for a domestic pub.' },
  { box: 'ES1', title: 'Services to other EU countries', explain: 'Intra-EU supplies of services: none for a domestic pub.' },
  { box: 'ES2', title: 'Services from other EU countries', explain: 'Intra-EU acquisitions of services: none for a domestic pub.' },
  { box: 'PA1', title: 'Postponed accounting', explain: 'VAT on imports accounted for postponed: none for a domestic pub.' },
];

const centsField = (box: string) => `${box}Cents` as `${keyof VatReturn['ros']}Cents`;

/** The request for the worker: what the address gives, or the last complete period when it gives nothing. */
function periodRequest(query: { period?: string | undefined; from?: string | undefined; to?: string | undefined }, today: string): RequestOf<'vat.getVatReturn'> {
  const period = query.period?.trim() || undefined;
  const from = query.from?.trim() || undefined;
  const to = query.to?.trim() || undefined;
  if (period === undefined && from === undefined && to === undefined) return { period: recentPeriods(today)[1] ?? '' };
  return { ...(period === undefined ? {} : { period }), ...(from === undefined ? {} : { from }), ...(to === undefined ? {} : { to }) };
}

/** A refusal the page shows beside its form (bad input: 400); anything else goes up to the error handler. */
function badInput(err: unknown): { field: string | null; message: string } | null {
  if (!isCodedError(err)) return null;
  const http = toHttpError(err);
  return http.statusCode === 400 ? { field: http.field ?? null, message: http.message } : null;
}

const byRateRows = (rows: { vatRateBp: number; netCents: number; vatCents: number }[], euro: (c: number) => string) =>
  rows.map((r) => ({ rate: ratePercent(r.vatRateBp), net: euro(r.netCents), vat: euro(r.vatCents) }));

/**
 * The VAT pages for managers: the VAT3 for a period with each box explained
 * and the whole-euro figures ready to key into ROS, its workings as CSV, and
 * the RTD for a year. Reads only: plain GET forms, no CSRF token needed.
 */
const vatPages: FastifyPluginAsync = async (fastify) => {
  const pages = fastify.withTypeProvider<TypeBoxTypeProvider>();

  const renderReturn = async (request: FastifyRequest, reply: FastifyReply, query: { period?: string | undefined; from?: string | undefined; to?: string | undefined }) => {
    const session = await fastify.auth.me(request);
    const show = displayHelpers(session.venue.timeZone);
    const today = localToday(show.timeZone);
    const asked = periodRequest(query, today);
    let r: VatReturn | null = null;
    let problem: { field: string | null; message: string } | null = null;
    try {
      r = await fastify.rpc.call('vat.getVatReturn', asked, callOptions(request));
    } catch (err) {
      problem = badInput(err);
      if (!problem) throw err;
    }
    const periods = recentPeriods(today).map((p) => ({ value: p, label: periodLabel(p, true), selected: p === asked.period }));
    if (asked.period && !periods.some((p) => p.selected)) periods.push({ value: asked.period, label: asked.period, selected: true });
    const csvQuery = asked.period ? `period=${encodeURIComponent(asked.period)}` : `from=${encodeURIComponent(asked.from ?? '')}&to=${encodeURIComponent(asked.to ?? '')}`;
    return reply.code(problem ? 400 : 200).view('vat/return', {
      ...(await layoutData(request, reply, 'vat')),
      title: 'VAT return',
      problem,
      periods,
      from: asked.from ?? '',
      to: asked.to ?? '',
      custom: asked.period === undefined,
      r: r && {
        heading: asked.period ? periodLabel(asked.period) : `${r.from} to ${r.to}`,
        from: r.from,
        to: r.to,
        boxes: BOXES.map((b) => ({ ...b, cents: show.euro(r[centsField(b.box)]), ros: String(r.ros[b.box]) })),
        sales: byRateRows(r.sales, show.euro),
        purchases: byRateRows(r.purchases, show.euro),
        openTabs: r.openTabsAtEnd,
        csvHref: `/vat/workings.csv?${csvQuery}`,
        rtdHref: `/vat/rtd?year=${r.to.slice(0, 4)}`,
      },
    });
  };

  pages.get('/vat', { schema: { querystring: PeriodQuery, ...PAGE }, preValidation: fastify.requireUserPage }, async (request, reply) =>
    renderReturn(request, reply, request.query),
  );

  pages.get('/vat/workings.csv', { schema: { querystring: PeriodQuery, ...PAGE }, preValidation: fastify.requireUserPage }, async (request, reply) => {
    const session = await fastify.auth.me(request);
    const asked = periodRequest(request.query, localToday(displayHelpers(session.venue.timeZone).timeZone));
    const w = await fastify.rpc.call('vat.getVatWorkings', asked, callOptions(request));
    const rows = w.items.map((i) => [i.date, i.kind, i.id, rateNumber(i.vatRateBp), euros(i.netCents), euros(i.vatCents)]);
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="vat-workings-${w.from}-to-${w.to}.csv"`)
      .send(toCsv(['date', 'kind', 'id', 'vat_rate_percent', 'net_eur', 'vat_eur'], rows));
  });

  pages.get('/vat/rtd', { schema: { querystring: YearQuery, ...PAGE }, preValidation: fastify.requireUserPage }, async (request, reply) => {
    const session = await fastify.auth.me(request);
    const show = displayHelpers(session.venue.timeZone);
    const thisYear = Number(localToday(show.timeZone).slice(0, 4));
    const typed = request.query.year?.trim() ?? '';
    // Last year's RTD is the one due; a year that is not a number is named like the API names it.
    const year = typed === '' ? thisYear - 1 : /^\d{4}$/.test(typed) ? Number(typed) : NaN;
    let t: ReplyOf<'vat.getTradingDetails'> | null = null;
    let problem: { field: string | null; message: string } | null = null;
    if (Number.isNaN(year)) problem = { field: 'year', message: 'year must be a year such as 2026.' };
    else {
      try {
        t = await fastify.rpc.call('vat.getTradingDetails', { year }, callOptions(request));
      } catch (err) {
        problem = badInput(err);
        if (!problem) throw err;
      }
    }
    const years = Array.from({ length: 6 }, (_, i) => String(thisYear - i)).map((y) => ({ value: y, label: y, selected: y === String(year) }));
    return reply.code(problem ? 400 : 200).view('vat/rtd', {
      ...(await layoutData(request, reply, 'vat')),
      title: 'Return of Trading Details',
      problem,
      years,
      t: t && {
        year: t.year,
        sales: byRateRows(t.sales, show.euro),
        purchases: byRateRows(t.purchasesForResale, show.euro),
        salesVat: show.euro(t.salesVatCents),
        purchasesVat: show.euro(t.purchasesVatCents),
        periods: t.periods.map((p) => ({ label: periodLabel(p.period), href: `/vat?period=${p.period}`, t1: show.euro(p.T1Cents), t2: show.euro(p.T2Cents) })),
      },
    });
  });
};

export default vatPages;
