import { isCodedError, type ReplyOf, type RequestOf } from '@barback/messaging';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsync } from 'fastify';
import { callOptions } from '../../../services/auth.js';
import { actionChoices, describeAuditEntry } from '../../../services/audit-words.js';
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
/** The calendar day of an instant in the venue's zone, to tell a sale of today from an older one. */
function dayIn(timeZone: string): (iso: string) => string {
  const format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
  return (iso) => format.format(new Date(iso));
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
      const clock = { time: show.time, dateTime: show.dateTime, day: dayIn(show.timeZone) };
      const values = formValues(request.query, FILTERS);
      const errors: FieldErrors = {};
      const filter: RequestOf<'audit.listAuditEntries'> = {};
      for (const field of ['from', 'to'] as const) {
        const typed = values[field];
        if (!typed) continue;
        const iso = localInputToIso(typed, show.timeZone);
        if (iso) filter[field] = iso;
        else errors[field] = 'Enter a date and time, like 2026-03-01T18:00.';
      }
      if (filter.from && filter.to && filter.from > filter.to) errors.to = 'The end must be after the start.';
      if (values.action) {
        // A choice list now; an old link or a typed address may still carry any text.
        if (values.action.length > 60 || !/^[A-Za-z0-9_.-]+$/.test(values.action)) errors.action = 'Choose an action from the list.';
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
        actions: actionChoices([...page.items.map((e) => e.action), ...(filter.action ? [filter.action] : [])]),
        entries: page.items.map((e) => ({
          at: show.dateTime(e.at),
          staffName: e.staffName ?? '—',
          action: e.action,
          summary: describeAuditEntry(e, clock),
        })),
        olderHref: page.nextCursor ? link(page.nextCursor) : null,
        newestHref: cursor ? link() : null,
      });
    },
  );
};

export default auditPages;
