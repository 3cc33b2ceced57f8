import multipart from '@fastify/multipart';
import { Errors, MAX_INVOICE_DOCUMENT, isCodedError, withField, type ReplyOf } from '@barback/messaging';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { sendError, toHttpError } from '../../../plugins/app/error-handler.js';
import { callOptions } from '../../../services/auth.js';
import { formWriteOptions } from '../../../services/calls.js';
import { CATEGORY_LABELS, displayHelpers, keyFor, layoutData, PAGE } from '../../../services/pages.js';

type Draft = ReplyOf<'deliveries.getInvoiceDraft'>;

const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });
const ViewQuery = Type.Object({ mapped: Type.Optional(Type.Literal('1')) });

/** "1.5" → 1.5 as a pack size: more than 0, at most 3 decimals, a point or a comma. */
function packSize(text: string): number | null {
  const m = /^(\d{1,6})(?:[.,](\d{1,3}))?$/.exec(text.trim());
  if (!m) return null;
  const n = Number(`${m[1]}.${m[2] ?? '0'}`);
  return n > 0 ? n : null;
}

/** A document's decimal price as money: "152.5" → "€152.50", "0.1234" → "€0.1234" (its own places kept past two). */
function price(text: string): string {
  const [whole = '0', fraction = ''] = text.split('.');
  return `€${whole}.${fraction.padEnd(2, '0')}`;
}

function percent(bp: number): string {
  return `${bp / 100}%`;
}

/**
 * The e-invoice pages: the upload (a file picker on the deliveries page,
 * multipart, in a plugin of its own so nothing else takes multipart), the
 * draft with its checks, mapping a line, and confirming.
 */
const invoicePages: FastifyPluginAsync<{ renderList: (request: FastifyRequest, reply: FastifyReply, importError: { status: number; message: string }) => Promise<FastifyReply> }> = async (
  fastify,
  { renderList },
) => {
  const pages = fastify.withTypeProvider<TypeBoxTypeProvider>();

  await fastify.register(async (upload) => {
    // One file of at most 2 MB, and no fields beyond the CSRF token and the form's key: anything else is refused unread.
    await upload.register(multipart, {
      attachFieldsToBody: 'keyValues',
      limits: { files: 1, fileSize: MAX_INVOICE_DOCUMENT, fields: 2, parts: 3, fieldSize: 200, fieldNameSize: 40, headerPairs: 20 },
    });
    upload.setErrorHandler(async (err, request, reply) => {
      // The multipart limits are the framework's 413s: a page answers 400 naming the document and the limit.
      const code = (err as { code?: string }).code;
      const tooLarge = code === 'FST_REQ_FILE_TOO_LARGE';
      const tooMany = code === 'FST_FILES_LIMIT' || code === 'FST_FIELDS_LIMIT' || code === 'FST_PARTS_LIMIT';
      if (tooLarge || tooMany) {
        const message = tooLarge ? 'The document is more than 2 MB; the limit is 2 MB.' : 'Send one file, the e-invoice, and nothing else.';
        return await sendError(request, reply, toHttpError(withField(new Errors.validation(message), 'document')));
      }
      throw err;
    });

    upload.post('/deliveries/invoices', { schema: PAGE, preValidation: [upload.checkCsrf, upload.requireUserPage] }, async (request, reply) => {
      const file = (request.body as Record<string, unknown> | undefined)?.document;
      if (!Buffer.isBuffer(file) || file.length === 0) {
        return renderList(request, reply, { status: 400, message: 'Choose the e-invoice file (UBL XML) to import.' });
      }
      let draft;
      try {
        draft = await fastify.rpc.call('deliveries.importInvoice', { document: file.toString('utf8').replace(/^\uFEFF/, '') }, formWriteOptions(request));
      } catch (err) {
        if (!isCodedError(err) || (err.statusCode !== 400 && err.statusCode !== 409)) throw err;
        return renderList(request, reply, { status: err.statusCode, message: err.message });
      }
      return reply.redirect(`/deliveries/invoices/${draft.id}`, 303);
    });
  });

  const renderDraft = async (request: FastifyRequest, reply: FastifyReply, id: string, state: { status: number; formError?: string | null; mapped?: boolean }) => {
    const opts = callOptions(request);
    const [session, draft, products] = await Promise.all([
      fastify.auth.me(request),
      fastify.rpc.call('deliveries.getInvoiceDraft', { id }, opts),
      fastify.rpc.call('catalogue.listProducts', {}, opts),
    ]);
    const show = displayHelpers(session.venue.timeZone);
    const groups = Object.entries(CATEGORY_LABELS)
      .map(([category, label]) => ({
        label,
        products: products.items.filter((p) => p.category === category && !p.archived).map((p) => ({ value: p.id, label: p.name })),
      }))
      .filter((g) => g.products.length > 0);
    const totals = (d: Draft) => {
      const doc = d.documentTotals;
      const orDash = (c: number | null) => (c === null ? '—' : show.euro(c));
      return [
        { label: 'Net (sum of lines)', document: show.euro(doc.lineExtensionCents), ours: show.euro(d.ourTotals.netCents), same: doc.lineExtensionCents === d.ourTotals.netCents },
        { label: 'VAT', document: orDash(doc.taxCents), ours: show.euro(d.ourTotals.vatCents), same: doc.taxCents === d.ourTotals.vatCents },
        { label: 'Gross', document: orDash(doc.taxInclusiveCents), ours: show.euro(d.ourTotals.grossCents), same: doc.taxInclusiveCents === d.ourTotals.grossCents },
      ];
    };
    const kind = draft.kind === 'creditNote' ? 'Credit note' : 'Invoice';
    return reply.code(state.status).view('stock/invoice-draft', {
      ...(await layoutData(request, reply, 'deliveries')),
      title: `${kind} ${draft.invoiceNumber}: draft`,
      formError: state.formError ?? null,
      mapped: state.mapped ?? false,
      d: {
        id: draft.id,
        kind,
        confirmed: draft.status === 'confirmed',
        deliveryHref: draft.deliveryId ? `/deliveries/${draft.deliveryId}` : null,
        number: draft.invoiceNumber,
        date: draft.invoiceDate,
        supplier: draft.supplier,
        imported: `${show.dateTime(draft.importedAt)} by ${draft.importedBy.name}`,
        checks: draft.checks,
        problems: draft.checks.filter((c) => !c.ok).length,
        unmapped: draft.lines.filter((l) => l.mapping === null).length,
        lines: draft.lines.map((l) => ({
          position: l.position,
          lineId: l.lineId,
          itemCode: l.itemCode ?? '—',
          gtin: l.gtin ?? '—',
          name: l.name,
          quantity: `${l.quantity} ${l.unitCode}`,
          price: `${price(l.price)} per ${l.baseQuantity} ${l.unitCode}`,
          net: show.euro(l.lineNetCents),
          vat: `${l.vatCategory} ${percent(l.vatRateBp)}`,
          mapping: l.mapping ? `${l.mapping.productName} × ${l.mapping.stockUnitsPerItem} = ${l.stockUnits} stock units at ${show.euro(l.unitCostCents ?? 0)}` : null,
          // A line can be remembered by its item code, else its GTIN; with neither, only this confirmation can map it.
          mappable: l.itemCode !== null || l.gtin !== null,
        })),
        totals: totals(draft),
      },
      groups,
      idempotencyKey: keyFor(request, state.status !== 200),
    });
  };

  pages.get('/deliveries/invoices/:id', { schema: { params: IdParams, querystring: ViewQuery, ...PAGE }, preValidation: fastify.requireUserPage }, async (request, reply) =>
    renderDraft(request, reply, request.params.id, { status: 200, mapped: request.query.mapped === '1' }),
  );

  /** A line's product chosen on the draft page: remembered for the supplier (created first when it is new). */
  pages.post('/deliveries/invoices/:id/map', { schema: { params: IdParams, ...PAGE }, preValidation: [fastify.checkCsrf, fastify.requireUserPage] }, async (request, reply) => {
    const id = request.params.id;
    const body = (request.body ?? {}) as Record<string, unknown>;
    const position = Number(body.position);
    const productId = typeof body.productId === 'string' ? body.productId : '';
    const perItem = packSize(typeof body.stockUnitsPerItem === 'string' ? body.stockUnitsPerItem : '');
    const draft = await fastify.rpc.call('deliveries.getInvoiceDraft', { id }, callOptions(request));
    const line = draft.lines.find((l) => l.position === position);
    if (!line || (line.itemCode === null && line.gtin === null)) return renderDraft(request, reply, id, { status: 400, formError: 'That line cannot be mapped here; choose its product when confirming.' });
    if (!productId) return renderDraft(request, reply, id, { status: 400, formError: `Choose the product line ${position} is.` });
    if (perItem === null) return renderDraft(request, reply, id, { status: 400, formError: `Line ${position}: enter how many stock units one item is, like 1 or 24.` });
    try {
      let supplierId = draft.supplier.id;
      if (supplierId === null) {
        const created = await fastify.rpc.call(
          'suppliers.createSupplier',
          { name: draft.supplier.name, ...(draft.supplier.vatNumber ? { vatNumber: draft.supplier.vatNumber } : {}) },
          callOptions(request),
        );
        supplierId = created.id;
      }
      await fastify.rpc.call(
        'suppliers.mapSupplierItem',
        { supplierId, ...(line.itemCode !== null ? { supplierItemCode: line.itemCode } : { gtin: line.gtin ?? '' }), productId, stockUnitsPerItem: perItem },
        callOptions(request),
      );
    } catch (err) {
      if (!isCodedError(err) || err.statusCode === undefined || err.statusCode >= 500 || err.statusCode === 403) throw err;
      return renderDraft(request, reply, id, { status: err.statusCode, formError: err.message });
    }
    return reply.redirect(`/deliveries/invoices/${id}?mapped=1#line-${position}`, 303);
  });

  pages.post('/deliveries/invoices/:id/confirm', { schema: { params: IdParams, ...PAGE }, preValidation: [fastify.checkCsrf, fastify.requireUserPage] }, async (request, reply) => {
    const id = request.params.id;
    const body = (request.body ?? {}) as Record<string, unknown>;
    const drops = Object.keys(body)
      .map((k) => /^drop\.(\d{1,3})$/.exec(k)?.[1])
      .filter((p): p is string => p !== undefined)
      .map((p) => ({ position: Number(p), drop: true }))
      .filter((o) => o.position >= 1 && o.position <= 200);
    let delivery;
    try {
      delivery = await fastify.rpc.call('deliveries.confirmInvoice', { draftId: id, ...(drops.length ? { lines: drops } : {}) }, formWriteOptions(request));
    } catch (err) {
      if (!isCodedError(err) || (err.statusCode !== 400 && err.statusCode !== 409)) throw err;
      return renderDraft(request, reply, id, { status: err.statusCode, formError: err.message });
    }
    return reply.redirect(`/deliveries/${delivery.id}?saved=1`, 303);
  });
};

export default invoicePages;
