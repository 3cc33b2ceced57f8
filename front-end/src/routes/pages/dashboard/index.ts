import { Errors, events, type ReplyOf } from '@barback/messaging';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { callOptions } from '../../../services/auth.js';
import { PAGE, displayHelpers, layoutData } from '../../../services/pages.js';
import { describeEvent, eventKind } from './words.js';

type Dashboard = ReplyOf<'dashboard.getDashboard'>;

/** Every event type re-fetches the panels: each one changes the feed, most change a figure too. */
const TRIGGERS = Object.keys(events)
  .map((type) => `sse:${type}`)
  .join(', ');

/** The chart's drawing box, in SVG units: one row per product, the name above its bar. */
const CHART = { width: 400, row: 44, barTop: 20, barHeight: 16, labelRoom: 110 };
const METHOD_LABELS: Record<string, string> = { card: 'Card', cash: 'Cash', other: 'Other' };

const dayLabel = (date: string) =>
  new Intl.DateTimeFormat('en-IE', { weekday: 'long', day: 'numeric', month: 'long', timeZone: 'UTC' }).format(new Date(`${date}T12:00:00Z`));

/** Stock units to one decimal at most, as a person reads them: 0.4, 2, 11.5. */
const units = (n: number) => String(Math.round(n * 10) / 10);

/** How many products below par the panel lists before "n more": the rest wait behind a tap, so the feed stays in view. */
const LOW_STOCK_SHOWN = 8;

function lowStock(items: Dashboard['lowStock']) {
  const all = items.map((l) => ({
    name: l.name,
    onHand: units(l.onHandUnits),
    par: units(l.parUnits),
    order: l.orderUnits,
    unit: l.unitMl ? `${units(l.unitMl / 1000)} l` : null,
  }));
  return { count: all.length, first: all.slice(0, LOW_STOCK_SHOWN), rest: all.slice(LOW_STOCK_SHOWN) };
}

/** What the panels show, worked out here so the templates only place it. */
function panelsModel(d: Dashboard) {
  const show = displayHelpers(d.businessDay.timeZone);
  const euro = show.euro;
  const most = Math.max(1, ...d.products.map((p) => p.grossCents));
  const barRoom = CHART.width - CHART.labelRoom;
  const startHour = String(d.businessDay.startHour).padStart(2, '0');
  return {
    day: { label: dayLabel(d.businessDay.date), date: d.businessDay.date, since: `${startHour}:00` },
    takings: {
      gross: euro(d.takings.grossCents),
      sales: euro(d.takings.salesCents),
      refunds: d.takings.refundsCents ? euro(d.takings.refundsCents) : null,
      saleCount: d.takings.saleCount,
      byMethod: d.takings.byMethod.map((m) => ({ method: m.method, label: METHOD_LABELS[m.method] ?? m.method, amount: euro(m.cents) })),
    },
    chart: {
      width: CHART.width,
      height: Math.max(1, d.products.length) * CHART.row,
      rows: d.products.map((p, i) => ({
        name: p.name,
        servings: p.servings,
        amount: euro(p.grossCents),
        y: i * CHART.row,
        barY: i * CHART.row + CHART.barTop,
        barHeight: CHART.barHeight,
        // A product only refunded today has nothing to draw; its numbers still show.
        barWidth: Math.max(0, Math.round((p.grossCents / most) * barRoom)),
        valueX: Math.max(0, Math.round((p.grossCents / most) * barRoom)) + 6,
      })),
      total: euro(d.products.reduce((a, p) => a + p.grossCents, 0)),
    },
    openTabs: { count: d.openTabs.count, value: euro(d.openTabs.grossCents) },
    lowStock: lowStock(d.lowStock),
    feed: d.events.map((e) => ({ time: show.time(e.occurredAt), at: e.occurredAt, kind: eventKind(e.type), text: describeEvent(e), type: e.type })),
  };
}

/**
 * The manager's live dashboard: the business day's takings, sales per
 * product as a chart, open tabs, low stock and the latest events, all drawn
 * on the server. The page listens to the venue's change stream
 * (/api/v1/events/stream, htmx's SSE extension) and on any event fetches
 * /dashboard/panels again: no reload, no script of its own.
 */
const dashboardPages: FastifyPluginAsync = async (fastify) => {
  // After requireUserPage: the session's role, as a first answer (the worker refuses a bartender whatever this says).
  const managersOnly = async (request: FastifyRequest) => {
    if (request.session.get('user')?.role !== 'manager') throw new Errors.forbidden('Only a manager can see the dashboard.');
  };
  const preValidation = [fastify.requireUserPage, managersOnly];

  fastify.get('/dashboard', { schema: PAGE, preValidation }, async (request, reply) => {
    const dashboard = await fastify.rpc.call('dashboard.getDashboard', {}, callOptions(request));
    // Resume the stream after the newest event drawn, so connecting replays nothing already on the page.
    const newest = dashboard.events[0]?.cursor;
    return reply.view('dashboard/page', {
      ...(await layoutData(request, reply, 'dashboard')),
      title: 'Dashboard',
      streamUrl: newest ? `/api/v1/events/stream?after=${encodeURIComponent(newest)}` : '/api/v1/events/stream',
      triggers: TRIGGERS,
      panels: panelsModel(dashboard),
    });
  });

  fastify.get('/dashboard/panels', { schema: PAGE, preValidation }, async (request, reply) => {
    const dashboard = await fastify.rpc.call('dashboard.getDashboard', {}, callOptions(request));
    return reply.view('dashboard/panels', panelsModel(dashboard));
  });
};

export default dashboardPages;
