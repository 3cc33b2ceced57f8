import { Errors, WASTAGE_REASONS, type ReplyOf, type RequestOf } from '@barback/messaging';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { callOptions, scopedRequestId } from '../../../services/auth.js';
import { newFormKey } from '../../../services/calls.js';
import { euros, toCsv } from '../../../services/csv.js';
import { localInputToIso } from '../../../services/format.js';
import { CATEGORY_LABELS, displayHelpers, layoutData, PAGE, submitForm } from '../../../services/pages.js';

export const REASON_LABELS: Record<(typeof WASTAGE_REASONS)[number], string> = {
  spillage: 'Spillage',
  line_cleaning: 'Line cleaning',
  breakage: 'Breakage',
  out_of_date: 'Out of date',
  complimentary: 'Complimentary',
  staff_drink: 'Staff drink',
  returned_by_customer: 'Returned by customer',
  other: 'Other',
};

const ListQuery = Type.Object({
  from: Type.Optional(Type.String()),
  to: Type.Optional(Type.String()),
  reason: Type.Optional(Type.String()),
  cursor: Type.Optional(Type.String()),
});
/** The record page's one form: the reason chosen, and the button tapped (product, serving and that button's key). */
const RecordBody = Type.Object({
  tap: Type.String(),
  reason: Type.Optional(Type.String()),
  _csrf: Type.Optional(Type.String()),
});
const RecordQuery = Type.Object({ done: Type.Optional(Type.String()), reason: Type.Optional(Type.String()) });

function isReason(value: string | undefined): value is (typeof WASTAGE_REASONS)[number] {
  return value !== undefined && (WASTAGE_REASONS as readonly string[]).includes(value);
}

/**
 * Wastage pages: the manager's list (filters, pages, CSV) and the till's
 * record page, where one tap on a serving writes it off as spilled (or the
 * reason chosen above the buttons). It is one form, so the reason goes with
 * whichever button is tapped; each button carries a key of its own, so a
 * double tap writes off once.
 */
const wastagePages: FastifyPluginAsync = async (fastify) => {
  const pages = fastify.withTypeProvider<TypeBoxTypeProvider>();

  async function page(request: { query: { from?: string; to?: string; reason?: string; cursor?: string } }, timeZone: string, limit?: number) {
    const filter: RequestOf<'wastage.listWastage'> = {};
    const errors: Record<string, string> = {};
    for (const field of ['from', 'to'] as const) {
      const typed = request.query[field]?.trim();
      if (!typed) continue;
      const iso = localInputToIso(typed, timeZone);
      if (iso) filter[field] = iso;
      else errors[field] = 'Enter a date and time, like 2026-03-01T18:00.';
    }
    if (request.query.reason) {
      if (isReason(request.query.reason)) filter.reason = request.query.reason;
      else errors.reason = 'Choose a reason from the list.';
    }
    if (request.query.cursor) filter.cursor = request.query.cursor;
    if (limit) filter.limit = limit;
    return { filter, errors };
  }

  pages.get('/wastage', { schema: { querystring: ListQuery, ...PAGE }, preValidation: fastify.requireUserPage }, async (request, reply) => {
    const opts = callOptions(request);
    const [session, products] = await Promise.all([fastify.auth.me(request), fastify.rpc.call('catalogue.listProducts', {}, opts)]);
    const show = displayHelpers(session.venue.timeZone);
    const { filter, errors } = await page(request, show.timeZone);
    const names = new Map(products.items.map((p) => [p.id, p.name]));
    let list: ReplyOf<'wastage.listWastage'> = { items: [], nextCursor: null };
    if (!Object.keys(errors).length) list = await fastify.rpc.call('wastage.listWastage', filter, opts);
    const values = { from: request.query.from ?? '', to: request.query.to ?? '', reason: request.query.reason ?? '' };
    const query = new URLSearchParams(Object.entries(values).filter(([, v]) => v !== ''));
    const totalCents = list.items.reduce((t, w) => t + w.costCents, 0);
    return reply.code(Object.keys(errors).length ? 400 : 200).view('stock/wastage', {
      ...(await layoutData(request, reply, 'wastage')),
      title: 'Wastage',
      values,
      errors,
      timeZone: show.timeZone,
      reasons: WASTAGE_REASONS.map((r) => ({ value: r, label: REASON_LABELS[r] })),
      rows: list.items.map((w) => ({
        at: show.dateTime(w.recordedAt),
        product: names.get(w.productId) ?? '—',
        units: w.stockUnits,
        cost: show.euro(w.costCents),
        reason: REASON_LABELS[w.reason],
        note: w.note ?? '',
        by: w.recordedBy.name,
      })),
      total: show.euro(totalCents),
      csvHref: `/wastage.csv${query.size ? `?${query.toString()}` : ''}`,
      olderHref: list.nextCursor ? `/wastage?${new URLSearchParams({ ...Object.fromEntries(query), cursor: list.nextCursor }).toString()}` : null,
    });
  });

  pages.get('/wastage.csv', { schema: { querystring: ListQuery, ...PAGE }, preValidation: fastify.requireUserPage }, async (request, reply) => {
    const opts = callOptions(request);
    const [session, products] = await Promise.all([fastify.auth.me(request), fastify.rpc.call('catalogue.listProducts', {}, opts)]);
    const show = displayHelpers(session.venue.timeZone);
    const { filter, errors } = await page(request, show.timeZone, 500);
    if (Object.keys(errors).length) return reply.code(400).type('text/plain').send(Object.values(errors).join('\n'));
    const names = new Map(products.items.map((p) => [p.id, p.name]));
    const rows: (string | number | null)[][] = [];
    // Every page of the filter: an export is the whole period, not the first 500 rows.
    for (let cursor: string | undefined; ; ) {
      const list = await fastify.rpc.call('wastage.listWastage', { ...filter, ...(cursor ? { cursor } : {}) }, opts);
      for (const w of list.items) {
        rows.push([w.recordedAt, names.get(w.productId) ?? w.productId, w.stockUnits, euros(w.costCents), w.reason, w.note, w.recordedBy.name]);
      }
      if (!list.nextCursor) break;
      cursor = list.nextCursor;
    }
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', 'attachment; filename="wastage.csv"')
      .send(toCsv(['recorded_at', 'product', 'stock_units', 'cost_eur', 'reason', 'note', 'recorded_by'], rows));
  });

  const TAP = /^([0-9a-f-]{36}):([0-9a-f-]{36}):([A-Za-z0-9-]{8,100})$/;

  /** The record page: a reason, then every serving as a button, grouped like the till. */
  const renderRecord = async (request: FastifyRequest, reply: FastifyReply, status: number, formError: string | null) => {
    const products = await fastify.rpc.call('catalogue.listProducts', {}, callOptions(request));
    const query = request.query as { done?: string; reason?: string };
    const live = products.items.filter((p) => !p.archived);
    let done: string | null = null;
    for (const p of live) {
      const s = p.servings.find((x) => x.id === query.done);
      if (s) done = `${p.name}, ${s.name.toLowerCase()}${isReason(query.reason) ? ` (${REASON_LABELS[query.reason].toLowerCase()})` : ''}`;
    }
    return reply.code(status).view('stock/wastage-record', {
      ...(await layoutData(request, reply, 'till')),
      title: 'Record wastage',
      done,
      formError,
      reasons: WASTAGE_REASONS.filter((r) => r !== 'other').map((r) => ({ value: r, label: REASON_LABELS[r], checked: r === 'spillage' })),
      groups: Object.entries(CATEGORY_LABELS)
        .map(([category, label]) => ({
          id: `cat-${category}`,
          label,
          products: live
            .filter((p) => p.category === category && p.servings.length > 0)
            // One key per button per render: a double tap writes off once, two different taps twice.
            .map((p) => ({ name: p.name, servings: p.servings.map((s) => ({ name: s.name, value: `${p.id}:${s.id}:${newFormKey()}` })) })),
        }))
        .filter((g) => g.products.length > 0),
    });
  };

  pages.get('/wastage/record', { schema: { querystring: RecordQuery, ...PAGE }, preValidation: fastify.requireUserPage }, async (request, reply) =>
    renderRecord(request, reply, 200, null),
  );

  pages.post('/wastage/record', { schema: { body: RecordBody, ...PAGE }, preValidation: [fastify.checkCsrf, fastify.requireUserPage] }, async (request, reply) => {
    const reason = isReason(request.body.reason) && request.body.reason !== 'other' ? request.body.reason : 'spillage';
    const tap = TAP.exec(request.body.tap);
    return submitForm(reply, {
      write: async () => {
        if (!tap) throw new Errors.validation('Tap a serving to write it off.');
        const [, productId = '', servingId = '', key = ''] = tap;
        const user = request.session.get('user');
        const opts = user ? { ...callOptions(request), requestId: scopedRequestId(`${user.staffId}\nform`, key) } : callOptions(request);
        await fastify.rpc.call('wastage.recordWastage', { productId, servingId, servings: 1, reason }, opts);
        return `/wastage/record?${new URLSearchParams({ done: servingId, reason }).toString()}`;
      },
      render: (problem) => renderRecord(request, reply, problem.status, problem.formError ?? Object.values(problem.errors)[0] ?? null),
    });
  });
};

export default wastagePages;
