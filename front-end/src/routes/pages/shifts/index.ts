import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { isCodedError, type ReplyOf } from '@barback/messaging';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { callOptions } from '../../../services/auth.js';
import { FORM_KEY_FIELD, formWriteOptions } from '../../../services/calls.js';
import { euros, toCsv } from '../../../services/csv.js';
import { parseEuro } from '../../../services/format.js';
import type { FieldErrors } from '../../../services/forms.js';
import { displayHelpers, formValues, keyFor, layoutData, PAGE, submitForm } from '../../../services/pages.js';

type X = ReplyOf<'shifts.getXReport'>;
type Z = ReplyOf<'shifts.getZReport'>;

/** The Z's print styles (A4 and an 80 mm receipt): a file of our own origin, as the CSP allows, linked by the shift pages only. */
const STYLES = readFileSync(new URL('../../../../public/cash-up.css', import.meta.url));
const STYLES_ETAG = `"${createHash('sha256').update(STYLES).digest('base64url').slice(0, 16)}"`;

const FormFields = { [FORM_KEY_FIELD]: Type.Optional(Type.String()), _csrf: Type.Optional(Type.String()) };
const StartBody = Type.Object({ float: Type.Optional(Type.String()), ...FormFields });
const CashBody = Type.Object({ kind: Type.Optional(Type.String()), amount: Type.Optional(Type.String()), reason: Type.Optional(Type.String()), ...FormFields });
const CloseBody = Type.Object({ counted: Type.Optional(Type.String()), note: Type.Optional(Type.String()), ...FormFields });
const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });
const ZQuery = Type.Object({ paper: Type.Optional(Type.Union([Type.Literal('a4'), Type.Literal('receipt')])) });
const ListQuery = Type.Object({ cursor: Type.Optional(Type.String({ maxLength: 200, pattern: '^[A-Za-z0-9_-]+$' })) });

const METHOD_LABELS: Record<string, string> = { cash: 'Cash', card: 'Card', other: 'Other' };
const percent = (bp: number) => `${(bp / 100).toLocaleString('en-IE', { maximumFractionDigits: 2 })}%`;

/** An amount typed into a form, in euro: the page's own check, so a slip is named beside its field. */
function amount(errors: FieldErrors, field: string, label: string, text: string | undefined, { positive = false } = {}): number {
  const cents = parseEuro(text ?? '');
  if (cents === null || (positive && cents === 0)) {
    errors[field] = `${label}: enter an amount in euro, such as 100.00${positive ? ' (more than 0)' : ''}.`;
    return 0;
  }
  return cents;
}

/** What a page shows of a shift's figures: the X and the Z alike. */
function figures(r: X | Z, show: ReturnType<typeof displayHelpers>) {
  return {
    openedAt: show.dateTime(r.openedAt),
    openedBy: r.openedBy.name,
    float: show.euro(r.floatCents),
    salesCount: r.salesCount,
    gross: show.euro(r.grossCents),
    vat: show.euro(r.vatCents),
    net: show.euro(r.netCents),
    byRate: r.byRate.map((b) => ({ rate: percent(b.vatRateBp), gross: show.euro(b.grossCents), vat: show.euro(b.vatCents), net: show.euro(b.netCents) })),
    byMethod: r.byMethod.map((m) => ({ method: METHOD_LABELS[m.method] ?? m.method, sales: show.euro(m.salesCents), refunds: show.euro(m.refundsCents), net: show.euro(m.netCents) })),
    refunds: `${r.refunds.count} · ${show.euro(r.refunds.grossCents)}`,
    voids: `${r.voids.count} · ${show.euro(r.voids.grossCents)}`,
    paidIn: show.euro(r.paidInCents),
    paidOut: show.euro(r.paidOutCents),
    expected: show.euro(r.expectedCashCents),
  };
}

/**
 * The cash-up: /shift starts a shift with its float (anyone on the till) and,
 * for a manager, shows the X report, takes paid in and out, and closes the
 * shift. The close asks for the counted cash first and shows nothing of what
 * was expected until it is entered (a blind count: whoever counts cannot
 * count towards a figure); only a count beyond the limit comes back with the
 * expected cash and the difference, asking for a note. /shift/z lists the Z
 * reports (and /shift/z.csv), /shift/z/:id prints one on A4 or an 80 mm roll.
 */
const shiftPages: FastifyPluginAsync = async (fastify) => {
  const pages = fastify.withTypeProvider<TypeBoxTypeProvider>();

  fastify.get('/static/cash-up.css', { schema: PAGE }, async (request, reply) => {
    reply.header('cache-control', 'no-cache').header('etag', STYLES_ETAG).type('text/css');
    if (request.headers['if-none-match'] === STYLES_ETAG) return reply.code(304).send();
    return reply.send(STYLES);
  });

  /** The open shift's X, or null when none is open; a bartender (who may not read it) gets null too. */
  const currentX = async (request: FastifyRequest, manager: boolean): Promise<X | null> => {
    if (!manager) return null;
    try {
      return await fastify.rpc.call('shifts.getXReport', {}, callOptions(request));
    } catch (err) {
      if (isCodedError(err) && err.code === 'BB_NOT_FOUND') return null;
      throw err;
    }
  };

  interface ShiftView {
    status: number;
    formError?: string | null;
    errors?: FieldErrors;
    values?: Record<string, string>;
    /** The form posted, whose key the re-rendered form keeps. */
    posted?: 'start' | 'cash' | 'close';
    /** The count was beyond the limit: show expected and the difference, and ask for a note. */
    noteFor?: { countedCents: number; message: string };
  }

  const renderShift = async (request: FastifyRequest, reply: FastifyReply, view: ShiftView) => {
    const session = await fastify.auth.me(request);
    const manager = session.staff.role === 'manager';
    const show = displayHelpers(session.venue.timeZone);
    const x = await currentX(request, manager);
    const note = view.noteFor && x
      ? {
          counted: show.euro(view.noteFor.countedCents),
          countedInput: (view.noteFor.countedCents / 100).toFixed(2),
          expected: show.euro(x.expectedCashCents),
          overShort: show.euro(view.noteFor.countedCents - x.expectedCashCents),
          short: view.noteFor.countedCents < x.expectedCashCents,
          message: view.noteFor.message,
        }
      : null;
    return reply.code(view.status).view('shifts/shift', {
      ...(await layoutData(request, reply, 'shift')),
      title: 'Cash-up',
      manager,
      formError: view.formError ?? null,
      errors: view.errors ?? {},
      values: view.values ?? {},
      x: x ? { ...figures(x, show), at: show.time(x.at), autoOpened: x.autoOpened } : null,
      note,
      keys: {
        start: keyFor(request, view.posted === 'start'),
        cash: keyFor(request, view.posted === 'cash'),
        close: keyFor(request, view.posted === 'close'),
      },
    });
  };

  pages.get('/shift', { schema: PAGE, preValidation: fastify.requireUserPage }, async (request, reply) => renderShift(request, reply, { status: 200 }));

  pages.post('/shift/start', { schema: { body: StartBody, ...PAGE }, preValidation: [fastify.checkCsrf, fastify.requireUserPage] }, async (request, reply) => {
    const values = formValues(request.body, ['float']);
    const errors: FieldErrors = {};
    const floatCents = amount(errors, 'float', 'Float', values['float']);
    return submitForm(reply, {
      errors,
      write: async () => {
        await fastify.rpc.call('shifts.startShift', { floatCents }, formWriteOptions(request));
        return '/shift';
      },
      fieldFor: (f) => (f === 'floatCents' ? 'float' : null),
      render: (p) => renderShift(request, reply, { status: p.status, formError: p.formError, errors: p.errors, values, posted: 'start' }),
    });
  });

  pages.post('/shift/cash', { schema: { body: CashBody, ...PAGE }, preValidation: [fastify.checkCsrf, fastify.requireUserPage] }, async (request, reply) => {
    const values = formValues(request.body, ['kind', 'amount', 'reason']);
    const errors: FieldErrors = {};
    const amountCents = amount(errors, 'amount', 'Amount', values['amount'], { positive: true });
    const kind = values['kind'] === 'paid_in' ? 'paid_in' : 'paid_out';
    if (!values['reason']) errors['reason'] = 'Reason: say what the cash was for.';
    return submitForm(reply, {
      errors,
      write: async () => {
        await fastify.rpc.call('shifts.recordCashMovement', { kind, amountCents, reason: values['reason'] ?? '' }, formWriteOptions(request));
        return '/shift';
      },
      fieldFor: (f) => ({ amountCents: 'amount', reason: 'reason', kind: 'kind' })[f] ?? null,
      render: (p) => renderShift(request, reply, { status: p.status, formError: p.formError, errors: p.errors, values, posted: 'cash' }),
    });
  });

  pages.post('/shift/close', { schema: { body: CloseBody, ...PAGE }, preValidation: [fastify.checkCsrf, fastify.requireUserPage] }, async (request, reply) => {
    const values = formValues(request.body, ['counted', 'note']);
    const errors: FieldErrors = {};
    const countedCashCents = amount(errors, 'counted', 'Counted cash', values['counted']);
    const note = values['note'] ? { note: values['note'] } : {};
    if (Object.keys(errors).length) return renderShift(request, reply, { status: 400, errors, values, posted: 'close' });
    try {
      const z = await fastify.rpc.call('shifts.closeShift', { countedCashCents, ...note }, formWriteOptions(request));
      return await reply.redirect(`/shift/z/${z.id}`, 303);
    } catch (err) {
      if (!isCodedError(err)) throw err;
      // Beyond the limit: now, and only now, the expected cash and the difference, with the count kept as entered.
      if (err.field === 'note') {
        const noteErrors: FieldErrors = values['note'] ? { note: err.message } : {};
        return renderShift(request, reply, { status: 400, errors: noteErrors, values, posted: 'close', noteFor: { countedCents: countedCashCents, message: err.message } });
      }
      if (err.field === 'countedCashCents') {
        return renderShift(request, reply, { status: 400, errors: { counted: err.message }, values, posted: 'close' });
      }
      return submitForm(reply, {
        write: () => Promise.reject(err),
        render: (p) => renderShift(request, reply, { status: p.status, formError: p.formError ?? Object.values(p.errors)[0] ?? null, values, posted: 'close' }),
      });
    }
  });

  const allZ = async (request: FastifyRequest): Promise<Z[]> => {
    const items: Z[] = [];
    let cursor: string | null = null;
    do {
      const page: ReplyOf<'shifts.listZReports'> = await fastify.rpc.call('shifts.listZReports', { limit: 500, ...(cursor ? { cursor } : {}) }, callOptions(request));
      items.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    return items;
  };

  pages.get('/shift/z', { schema: { querystring: ListQuery, ...PAGE }, preValidation: fastify.requireUserPage }, async (request, reply) => {
    const [session, page] = await Promise.all([
      fastify.auth.me(request),
      fastify.rpc.call('shifts.listZReports', { limit: 50, ...(request.query.cursor ? { cursor: request.query.cursor } : {}) }, callOptions(request)),
    ]);
    const show = displayHelpers(session.venue.timeZone);
    return reply.view('shifts/z-list', {
      ...(await layoutData(request, reply, 'shift')),
      title: 'Z reports',
      rows: page.items.map((z) => ({
        id: z.id,
        number: z.number,
        closedAt: show.dateTime(z.closedAt),
        closedBy: z.closedBy.name,
        gross: show.euro(z.grossCents),
        overShort: show.euro(z.overShortCents),
        short: z.overShortCents < 0,
      })),
      next: page.nextCursor ? `/shift/z?cursor=${encodeURIComponent(page.nextCursor)}` : null,
    });
  });

  pages.get('/shift/z.csv', { schema: PAGE, preValidation: fastify.requireUserPage }, async (request, reply) => {
    const items = await allZ(request);
    const method = (z: Z, m: string) => z.byMethod.find((b) => b.method === m)?.netCents ?? 0;
    const rows = items.map((z) => [
      z.number,
      z.openedAt,
      z.closedAt,
      z.openedBy.name,
      z.closedBy.name,
      z.salesCount,
      euros(z.grossCents),
      euros(z.vatCents),
      euros(z.netCents),
      euros(method(z, 'cash')),
      euros(method(z, 'card')),
      euros(method(z, 'other')),
      z.refunds.count,
      euros(z.refunds.grossCents),
      z.voids.count,
      euros(z.voids.grossCents),
      euros(z.floatCents),
      euros(z.paidInCents),
      euros(z.paidOutCents),
      euros(z.expectedCashCents),
      euros(z.countedCashCents),
      euros(z.overShortCents),
      z.note,
    ]);
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', 'attachment; filename="z-reports.csv"')
      .send(
        toCsv(
          ['z_number', 'opened_at', 'closed_at', 'opened_by', 'closed_by', 'sales', 'gross_eur', 'vat_eur', 'net_eur', 'cash_net_eur', 'card_net_eur',
            'other_net_eur', 'refunds', 'refunds_eur', 'voids', 'voids_eur', 'float_eur', 'paid_in_eur', 'paid_out_eur', 'expected_cash_eur',
            'counted_cash_eur', 'over_short_eur', 'note'],
          rows,
        ),
      );
  });

  pages.get('/shift/z/:id', { schema: { params: IdParams, querystring: ZQuery, ...PAGE }, preValidation: fastify.requireUserPage }, async (request, reply) => {
    const [session, z] = await Promise.all([fastify.auth.me(request), fastify.rpc.call('shifts.getZReport', { id: request.params.id }, callOptions(request))]);
    const show = displayHelpers(session.venue.timeZone);
    const paper = request.query.paper ?? 'a4';
    return reply.view('shifts/z', {
      ...(await layoutData(request, reply, 'shift')),
      title: `Z ${z.number}`,
      paper,
      venue: session.venue.name,
      href: `/shift/z/${z.id}`,
      z: {
        ...figures(z, show),
        number: z.number,
        closedAt: show.dateTime(z.closedAt),
        closedBy: z.closedBy.name,
        counted: show.euro(z.countedCashCents),
        overShort: show.euro(z.overShortCents),
        short: z.overShortCents < 0,
        note: z.note,
      },
    });
  });
};

export default shiftPages;
