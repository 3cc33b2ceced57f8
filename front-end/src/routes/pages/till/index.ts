import { Errors, Uuid, type ReplyOf } from '@barback/messaging';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { callOptions } from '../../../services/auth.js';
import { formWriteOptions } from '../../../services/calls.js';
import { formatEuro, parseEuro } from '../../../services/format.js';
import type { FieldErrors } from '../../../services/forms.js';
import { CATEGORY_LABELS, PAGE, displayHelpers, formValues, keyFor, layoutData, submitForm } from '../../../services/pages.js';

type Product = ReplyOf<'catalogue.getProduct'>;
type Tab = ReplyOf<'till.getTab'>;
type Sale = ReplyOf<'sales.getSale'>;

const TillQuery = Type.Object({ tab: Type.Optional(Uuid), sale: Type.Optional(Uuid) });
const TabParams = Type.Object({ tabId: Uuid });
const LineParams = Type.Object({ tabId: Uuid, lineId: Uuid });

interface TillState {
  status: number;
  tabId?: string | undefined;
  saleId?: string | undefined;
  errors?: FieldErrors;
  values?: Record<string, string>;
  formError?: string | null;
  /** Which form was posted, so only that one keeps its idempotency key when the page is shown again. */
  postedForm?: string;
}

function buttonGroups(products: Product[]) {
  return Object.entries(CATEGORY_LABELS)
    .map(([category, label]) => ({
      category,
      label,
      servings: products
        .filter((p) => p.category === category)
        .sort((a, b) => a.name.localeCompare(b.name))
        .flatMap((p) => p.servings.map((s) => ({ id: s.id, product: p.name, serving: s.name, price: formatEuro(s.priceCents) }))),
    }))
    .filter((g) => g.servings.length > 0);
}

function saleSummary(sale: Sale, time: (iso: string) => string) {
  return {
    id: sale.id,
    name: sale.name,
    total: formatEuro(sale.grossCents),
    vat: formatEuro(sale.vatCents),
    closedAt: time(sale.closedAt),
    payments: sale.payments.map((p) => ({ method: p.method, amount: formatEuro(p.amountCents) })),
  };
}

/**
 * The till: product buttons by category, open tabs, the chosen tab's lines
 * and payment. Each button is its own small form (Post/Redirect/Get), so a
 * drink is one tap and the page needs no script; each form carries its own
 * idempotency key, so a double tap rings once.
 */
const tillPages: FastifyPluginAsync = async (fastify) => {
  const pages = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const render = async (request: FastifyRequest, reply: FastifyReply, state: TillState) => {
    const opts = callOptions(request);
    const [session, products, open, chosen, sale] = await Promise.all([
      fastify.auth.me(request),
      fastify.rpc.call('catalogue.listProducts', {}, opts),
      fastify.rpc.call('till.listOpenTabs', {}, opts),
      state.tabId ? fastify.rpc.call('till.getTab', { id: state.tabId }, opts) : Promise.resolve(null),
      state.saleId ? fastify.rpc.call('sales.getSale', { id: state.saleId }, opts) : Promise.resolve(null),
    ]);
    const show = displayHelpers(session.venue.timeZone);
    const key = (form: string) => keyFor(request, state.postedForm === form);
    const tab: Tab | null = chosen?.status === 'open' ? chosen : null;
    const groups = buttonGroups(products.items).map((g) => ({
      ...g,
      servings: g.servings.map((s) => ({ ...s, key: key(`line:${s.id}`) })),
    }));
    return reply.code(state.status).view('till', {
      ...(await layoutData(request, reply, 'till')),
      title: tab ? `Till · ${tab.name}` : 'Till',
      groups,
      tabs: open.items.map((t) => ({
        id: t.id,
        name: t.name,
        total: formatEuro(t.grossCents),
        openedAt: show.time(t.openedAt),
        selected: t.id === tab?.id,
      })),
      tab: tab && {
        id: tab.id,
        name: tab.name,
        openedAt: show.time(tab.openedAt),
        openedBy: tab.openedBy.name,
        totalCents: tab.grossCents,
        total: formatEuro(tab.grossCents),
        lines: tab.lines.map((l) => ({
          id: l.id,
          description: l.description,
          quantity: l.quantity,
          unitPrice: formatEuro(l.unitPriceCents),
          gross: formatEuro(l.grossCents),
          addedAt: show.time(l.addedAt),
          voided: l.voided,
          voidReason: l.voidReason,
          voidKey: key(`void:${l.id}`),
        })),
        activeLines: tab.lines.filter((l) => !l.voided).length,
        keys: { cash: key('pay:cash'), card: key('pay:card'), split: key('pay:split') },
      },
      closedTab: chosen && chosen.status !== 'open' ? { name: chosen.name } : null,
      sale: sale && saleSummary(sale, show.dateTime),
      openKey: key('open'),
      errors: state.errors ?? {},
      values: state.values ?? {},
      formError: state.formError ?? null,
      timeZone: show.timeZone,
    });
  };

  const write = [fastify.csrfProtection, fastify.requireUserPage];

  pages.get(
    '/till',
    { schema: { querystring: TillQuery, hide: true }, preValidation: fastify.requireUserPage },
    async (request, reply) => render(request, reply, { status: 200, tabId: request.query.tab, saleId: request.query.sale }),
  );

  pages.post('/till/tabs', { schema: PAGE, preValidation: write }, async (request, reply) => {
    const values = formValues(request.body, ['name']);
    const name = values.name ?? '';
    return submitForm(reply, {
      errors: name ? {} : { name: 'Give the tab a name or a table number.' },
      write: async () => {
        const tab = await fastify.rpc.call('till.openTab', { name }, formWriteOptions(request));
        return `/till?tab=${tab.id}`;
      },
      render: (problem) => render(request, reply, { ...problem, values, postedForm: 'open' }),
    });
  });

  pages.post('/till/tabs/:tabId/lines', { schema: { params: TabParams, hide: true }, preValidation: write }, async (request, reply) => {
    const { tabId } = request.params;
    const values = formValues(request.body, ['servingId', 'quantity']);
    const quantity = values.quantity ? Number(values.quantity) : 1;
    return submitForm(reply, {
      write: async () => {
        await fastify.rpc.call('till.addTabLine', { tabId, servingId: values.servingId ?? '', quantity }, formWriteOptions(request));
        return `/till?tab=${tabId}`;
      },
      fieldFor: () => null,
      render: (problem) => render(request, reply, { ...problem, tabId, postedForm: `line:${values.servingId ?? ''}` }),
    });
  });

  pages.post(
    '/till/tabs/:tabId/lines/:lineId/void',
    { schema: { params: LineParams, hide: true }, preValidation: write },
    async (request, reply) => {
      const { tabId, lineId } = request.params;
      const field = `void.${lineId}`;
      const reason = formValues(request.body, ['reason']).reason ?? '';
      return submitForm(reply, {
        errors: reason ? {} : { [field]: 'Say why this line is voided.' },
        write: async () => {
          await fastify.rpc.call('till.voidTabLine', { tabId, lineId, reason }, formWriteOptions(request));
          return `/till?tab=${tabId}`;
        },
        fieldFor: (f) => (f === 'reason' ? field : null),
        render: (problem) => render(request, reply, { ...problem, tabId, values: { [field]: reason }, postedForm: `void:${lineId}` }),
      });
    },
  );

  pages.post('/till/tabs/:tabId/pay', { schema: { params: TabParams, hide: true }, preValidation: write }, async (request, reply) => {
    const { tabId } = request.params;
    const values = formValues(request.body, ['method', 'totalCents', 'cashAmount', 'cardAmount']);
    const method = values.method;
    let payments: { method: 'cash' | 'card'; amountCents: number }[] = [];
    const errors: FieldErrors = {};
    if (method === 'cash' || method === 'card') {
      // The total the bartender saw: if the tab changed since, the worker refuses the mismatch.
      const total = Number(values.totalCents);
      if (!Number.isSafeInteger(total) || total <= 0) throw new Errors.validation('totalCents must be the amount shown on the till.');
      payments = [{ method, amountCents: total }];
    } else if (method === 'split') {
      const cash = parseEuro(values.cashAmount || '0');
      const card = parseEuro(values.cardAmount || '0');
      if (cash === null) errors.cashAmount = 'Enter the cash amount in euro, like 10.00.';
      if (card === null) errors.cardAmount = 'Enter the card amount in euro, like 2.30.';
      if (cash === 0 && card === 0) errors.cashAmount = 'Enter how much is paid in cash and how much by card.';
      payments = [
        ...(cash ? [{ method: 'cash' as const, amountCents: cash }] : []),
        ...(card ? [{ method: 'card' as const, amountCents: card }] : []),
      ];
    } else {
      throw new Errors.validation('method must be cash, card or split.');
    }
    // Refusals of a one-tap payment go above the payment buttons; those of a split beside its fields.
    const area = method === 'split' ? 'split' : 'pay';
    return submitForm(reply, {
      errors,
      write: async () => {
        const sale = await fastify.rpc.call('till.closeTab', { tabId, payments }, formWriteOptions(request));
        return `/till?sale=${sale.id}`;
      },
      fieldFor: () => null,
      render: ({ status, errors: found, formError }) =>
        render(request, reply, { status, tabId, values, errors: formError ? { [area]: formError } : found, postedForm: `pay:${method}` }),
    });
  });
};

export default tillPages;
