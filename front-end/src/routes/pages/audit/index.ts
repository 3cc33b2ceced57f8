import { isCodedError, type ReplyOf, type RequestOf } from '@barback/messaging';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsync } from 'fastify';
import { callOptions } from '../../../services/auth.js';
import { localInputToIso } from '../../../services/format.js';
import type { FieldErrors } from '../../../services/forms.js';
import { displayHelpers, formValues, layoutData } from '../../../services/pages.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const FILTERS = ['from', 'to', 'action', 'staffId'] as const;
/**
 * As typed into the filter form (or kept in a page link): the page checks
 * each value itself and puts its message beside the field, so every one is
 * a string here and nothing is refused before the page sees it.
 */
const AuditPageQuery = Type.Object({
  from: Type.Optional(Type.String()),
  to: Type.Optional(Type.String()),
  action: Type.Optional(Type.String()),
  staffId: Type.Optional(Type.String()),
  cursor: Type.Optional(Type.String()),
});
/** Offered as suggestions in the action filter; any other action recorded is offered too once it shows up. */
const KNOWN_ACTIONS = [
  'access.denied',
  'auth.passwordChange',
  'price.change',
  'product.create',
  'product.update',
  'sale.refund',
  'staff.createStaff',
  'staff.disableStaff',
  'tab.void',
];

/** Details are free-form per action; one line of key=value pairs reads better in a table than JSON. */
function describeDetails(details: Record<string, unknown>): string {
  return Object.entries(details)
    .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join(', ');
}

/**
 * Managers' page: the audit trail, filtered like the API. The period is typed
 * as wall-clock time in the venue's zone and sent to the worker as instants.
 */
const auditPages: FastifyPluginAsync = async (fastify) => {
  const pages = fastify.withTypeProvider<TypeBoxTypeProvider>();

  pages.get(
    '/audit',
    { schema: { querystring: AuditPageQuery, hide: true }, preValidation: fastify.requireUserPage },
    async (request, reply) => {
      const opts = callOptions(request);
      // The staff list is manager-only: a bartender is refused (and audited) by the worker here.
      const [session, staff] = await Promise.all([fastify.auth.me(request), fastify.rpc.call('staff.listStaff', {}, opts)]);
      const show = displayHelpers(session.venue.timeZone);
      const values = formValues(request.query, FILTERS);
      const errors: FieldErrors = {};
      const filter: RequestOf<'audit.listAuditEntries'> = {};
      for (const field of ['from', 'to'] as const) {
        if (!values[field]) continue;
        const iso = localInputToIso(values[field]!, show.timeZone);
        if (iso) filter[field] = iso;
        else errors[field] = 'Enter a date and time, like 2026-03-01T18:00.';
      }
      if (filter.from && filter.to && filter.from > filter.to) errors.to = 'The end must be after the start.';
      if (values.action) {
        if (values.action.length > 60) errors.action = 'An action name is at most 60 characters.';
        else filter.action = values.action;
      }
      if (values.staffId) {
        if (UUID.test(values.staffId)) filter.staffId = values.staffId;
        else errors.staffId = 'Choose a staff member from the list.';
      }
      const cursor = request.query.cursor?.trim();
      if (cursor) filter.cursor = cursor;

      let status = Object.keys(errors).length ? 400 : 200;
      let formError: string | null = null;
      let page: ReplyOf<'audit.listAuditEntries'> = { items: [], nextCursor: null };
      if (status === 200) {
        try {
          page = await fastify.rpc.call('audit.listAuditEntries', filter, opts);
        } catch (err) {
          // Only a page link carries a cursor: one cut short or edited gets a way back to the newest entries, not an error page.
          if (!isCodedError(err) || err.field !== 'cursor') throw err;
          status = 400;
          formError = 'This page link is not valid any more: start again from the newest entries.';
        }
      }
      // The links keep the filters exactly as typed, so the next page is the same search.
      const link = (pageCursor?: string) => {
        const query = new URLSearchParams(Object.entries(values).filter(([, v]) => v !== ''));
        if (pageCursor) query.set('cursor', pageCursor);
        return query.size ? `/audit?${query.toString()}` : '/audit';
      };
      return reply.code(status).view('audit', {
        ...(await layoutData(request, reply, 'audit')),
        title: 'Audit log',
        values,
        errors,
        formError,
        timeZone: show.timeZone,
        staffOptions: staff.items.map((m) => ({ value: m.id, label: `${m.name} (${m.role})` })),
        actions: [...new Set([...KNOWN_ACTIONS, ...page.items.map((e) => e.action)])].sort(),
        entries: page.items.map((e) => ({
          at: show.dateTime(e.at),
          staffName: e.staffName ?? '—',
          action: e.action,
          entity: e.entityType ? `${e.entityType}${e.entityId ? ` ${e.entityId.slice(0, 8)}` : ''}` : '',
          reason: e.reason ?? '',
          details: describeDetails(e.details),
        })),
        olderHref: page.nextCursor ? link(page.nextCursor) : null,
        newestHref: cursor ? link() : null,
      });
    },
  );
};

export default auditPages;
