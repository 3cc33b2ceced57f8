import type { CallOptions, ReplyOf } from '@barback/messaging';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { callOptions, scopedRequestId } from '../../../services/auth.js';
import { formWriteOptions, postedFormKey } from '../../../services/calls.js';
import { euros, toCsv } from '../../../services/csv.js';
import { safeTimeZone } from '../../../services/format.js';
import type { FieldErrors } from '../../../services/forms.js';
import { CATEGORY_LABELS, displayHelpers, keyFor, layoutData, PAGE, submitForm } from '../../../services/pages.js';
import { deliveryFieldFor, DELIVERY_KINDS, MAX_ROWS, parseDeliveryForm, postedDeliveryValues, rowCount } from './form.js';
import invoicePages from './invoices.js';

const ListQuery = Type.Object({ cursor: Type.Optional(Type.String()) });
const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });
const ViewQuery = Type.Object({ saved: Type.Optional(Type.Literal('1')) });

/** Number fields open a numeric keypad on a phone or tablet; `pattern` only hints (the form is novalidate). */
const DECIMAL = { inputmode: 'decimal', pattern: '[0-9]*[.,]?[0-9]*' } as const;

/** Today's date on the venue's wall clock, as an invoice prints it: the form's default invoice date. */
function today(timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: safeTimeZone(timeZone), year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
}

/**
 * The options for creating the supplier typed on the delivery form: a key
 * of its own, derived from the form's, so a resubmitted form creates the
 * supplier once and the supplier's reply is never taken for the delivery's.
 */
function supplierWriteOptions(request: FastifyRequest): CallOptions {
  const user = request.session.get('user');
  const key = postedFormKey(request.body);
  if (!user || !key) return callOptions(request);
  return { ...callOptions(request), requestId: scopedRequestId(`${user.staffId}\nform`, `${key}:supplier`) };
}

/** Managers' pages: the deliveries list (pages, CSV) and one delivery with its lines. */
const deliveriesPages: FastifyPluginAsync = async (fastify) => {
  const pages = fastify.withTypeProvider<TypeBoxTypeProvider>();

  async function names(request: Parameters<typeof callOptions>[0]) {
    const opts = callOptions(request);
    const [session, suppliers, products] = await Promise.all([
      fastify.auth.me(request),
      fastify.rpc.call('suppliers.listSuppliers', {}, opts),
      fastify.rpc.call('catalogue.listProducts', {}, opts),
    ]);
    return {
      show: displayHelpers(session.venue.timeZone),
      supplier: new Map(suppliers.items.map((s) => [s.id, s.name])),
      product: new Map(products.items.map((p) => [p.id, p.name])),
    };
  }

  /** The list, with the e-invoice upload above it (and its refusal, when an upload was refused). */
  const renderList = async (request: FastifyRequest, reply: FastifyReply, importError: { status: number; message: string } | null = null) => {
    const n = await names(request);
    const cursor = (request.query as { cursor?: string } | undefined)?.cursor;
    const list: ReplyOf<'deliveries.listDeliveries'> = await fastify.rpc.call('deliveries.listDeliveries', cursor ? { cursor } : {}, callOptions(request));
    return reply.code(importError?.status ?? 200).view('stock/deliveries', {
      ...(await layoutData(request, reply, 'deliveries')),
      title: 'Deliveries',
      importError: importError?.message ?? null,
      importKey: keyFor(request, importError !== null),
      rows: list.items.map((d) => ({
        href: `/deliveries/${d.id}`,
        date: d.invoiceDate,
        supplier: n.supplier.get(d.supplierId) ?? '—',
        number: d.invoiceNumber,
        kind: d.kind === 'creditNote' ? 'Credit note' : 'Invoice',
        gross: n.show.euro(d.grossCents),
      })),
      olderHref: list.nextCursor ? `/deliveries?cursor=${encodeURIComponent(list.nextCursor)}` : null,
    });
  };

  pages.get('/deliveries', { schema: { querystring: ListQuery, ...PAGE }, preValidation: fastify.requireUserPage }, async (request, reply) => renderList(request, reply));

  await fastify.register(invoicePages, { renderList });

  pages.get('/deliveries.csv', { schema: PAGE, preValidation: fastify.requireUserPage }, async (request, reply) => {
    const n = await names(request);
    const rows: (string | number | null)[][] = [];
    for (let cursor: string | undefined; ; ) {
      const list = await fastify.rpc.call('deliveries.listDeliveries', { limit: 500, ...(cursor ? { cursor } : {}) }, callOptions(request));
      for (const d of list.items) {
        for (const l of d.lines) {
          rows.push([
            d.invoiceDate, n.supplier.get(d.supplierId) ?? d.supplierId, d.invoiceNumber, d.kind, n.product.get(l.productId) ?? l.productId,
            l.quantity, euros(l.unitCostCents), l.vatRateBp / 100, euros(l.netCents), euros(l.vatCents), euros(l.netCents + l.vatCents),
          ]);
        }
      }
      if (!list.nextCursor) break;
      cursor = list.nextCursor;
    }
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', 'attachment; filename="deliveries.csv"')
      .send(toCsv(['invoice_date', 'supplier', 'invoice_number', 'kind', 'product', 'quantity', 'unit_cost_eur', 'vat_rate_percent', 'net_eur', 'vat_eur', 'gross_eur'], rows));
  });

  /** The entry form, blank or as posted, with the problem beside its field. */
  const renderForm = async (
    request: FastifyRequest,
    reply: FastifyReply,
    state: { status: number; values: Record<string, string>; rows: number; errors?: FieldErrors; formError?: string | null; posted?: boolean },
  ) => {
    const opts = callOptions(request);
    const [suppliers, products] = await Promise.all([
      fastify.rpc.call('suppliers.listSuppliers', {}, opts),
      fastify.rpc.call('catalogue.listProducts', {}, opts),
    ]);
    const groups = Object.entries(CATEGORY_LABELS)
      .map(([category, label]) => ({
        label,
        products: products.items.filter((p) => p.category === category && !p.archived).map((p) => ({ value: p.id, label: p.name })),
      }))
      .filter((g) => g.products.length > 0);
    return reply.code(state.status).view('stock/delivery-form', {
      ...(await layoutData(request, reply, 'deliveries')),
      title: 'Enter a delivery',
      values: state.values,
      errors: state.errors ?? {},
      formError: state.formError ?? null,
      errorCount: Object.keys(state.errors ?? {}).length,
      suppliers: suppliers.items.map((s) => ({ value: s.id, label: s.name })),
      kinds: DELIVERY_KINDS,
      groups,
      rows: Array.from({ length: state.rows }, (_, i) => i),
      rowCount: state.rows,
      canAdd: state.rows < MAX_ROWS,
      decimal: DECIMAL,
      idempotencyKey: keyFor(request, state.posted ?? false),
    });
  };

  pages.get('/deliveries/new', { schema: PAGE, preValidation: fastify.requireUserPage }, async (request, reply) => {
    const session = await fastify.auth.me(request);
    const values = { invoiceDate: today(session.venue.timeZone), kind: 'invoice' };
    return renderForm(request, reply, { status: 200, values, rows: rowCount(values, 0) });
  });

  pages.post('/deliveries/new', { schema: PAGE, preValidation: [fastify.checkCsrf, fastify.requireUserPage] }, async (request, reply) => {
    const values = postedDeliveryValues(request.body);
    const shown = rowCount(values, Number(values.rows ?? 0));
    // "Add line" without script: the same form again with one more row, nothing written.
    if (typeof (request.body as Record<string, unknown> | undefined)?.addLine === 'string') {
      return renderForm(request, reply, { status: 200, values, rows: Math.min(MAX_ROWS, shown + 1), posted: true });
    }
    const suppliers = await fastify.rpc.call('suppliers.listSuppliers', {}, callOptions(request));
    const parsed = parseDeliveryForm(values, suppliers.items);
    return submitForm(reply, {
      errors: parsed.errors,
      write: async () => {
        let supplierId = parsed.supplierId;
        if (parsed.newSupplier !== null) {
          const created = await fastify.rpc.call('suppliers.createSupplier', { name: parsed.newSupplier }, supplierWriteOptions(request));
          supplierId = created.id;
          // If the delivery is refused, the form comes back with the supplier now on the list and chosen.
          values.supplierId = created.id;
          values.newSupplier = '';
        }
        const saved = await fastify.rpc.call('deliveries.recordDelivery', { ...parsed.input, supplierId }, formWriteOptions(request));
        return `/deliveries/${saved.id}?saved=1`;
      },
      fieldFor: (f) => deliveryFieldFor(f, parsed.rowOf),
      render: (problem) => renderForm(request, reply, { ...problem, values, rows: shown, posted: true }),
    });
  });

  pages.get('/deliveries/:id', { schema: { params: IdParams, querystring: ViewQuery, ...PAGE }, preValidation: fastify.requireUserPage }, async (request, reply) => {
    const n = await names(request);
    const d = await fastify.rpc.call('deliveries.getDelivery', { id: request.params.id }, callOptions(request));
    return reply.view('stock/delivery', {
      ...(await layoutData(request, reply, 'deliveries')),
      saved: request.query.saved === '1',
      title: `${d.kind === 'creditNote' ? 'Credit note' : 'Invoice'} ${d.invoiceNumber}`,
      d: {
        kind: d.kind === 'creditNote' ? 'Credit note' : 'Invoice',
        number: d.invoiceNumber,
        date: d.invoiceDate,
        supplier: n.supplier.get(d.supplierId) ?? '—',
        recorded: `${n.show.dateTime(d.recordedAt)} by ${d.recordedBy.name}`,
        net: n.show.euro(d.netCents),
        vat: n.show.euro(d.vatCents),
        gross: n.show.euro(d.grossCents),
        lines: d.lines.map((l) => ({
          product: n.product.get(l.productId) ?? '—',
          quantity: l.quantity,
          unitCost: n.show.euro(l.unitCostCents),
          rate: `${l.vatRateBp / 100}%`,
          net: n.show.euro(l.netCents),
          vat: n.show.euro(l.vatCents),
        })),
      },
    });
  });
};

export default deliveriesPages;
