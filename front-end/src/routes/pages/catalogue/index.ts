import { Errors, Uuid, type ReplyOf, type RequestOf } from '@barback/messaging';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { callOptions } from '../../../services/auth.js';
import { formWriteOptions, newFormKey } from '../../../services/calls.js';
import { euroInput, formatEuro, formatStock, parseDecimal, parseEuro } from '../../../services/format.js';
import type { FieldErrors } from '../../../services/forms.js';
import { CATEGORY_LABELS, PAGE, keyFor, layoutData, submitForm } from '../../../services/pages.js';
import { productWarnings } from '../../../services/product-checks.js';
import { IdParams } from '../../api/common.js';

type Product = ReplyOf<'catalogue.getProduct'>;
type ProductInput = RequestOf<'catalogue.createProduct'>;
type ServingInput = ProductInput['servings'][number];

type VatRate = ReplyOf<'catalogue.listVatRates'>['items'][number];

/** Money fields are typed in euro on the form; the API's names end in Cents. */
const PRODUCT_FIELDS = ['name', 'category', 'abv', 'vatClass', 'unitMl', 'unitCost', 'parUnits', 'location', 'sortOrder', 'confirmWarnings'] as const;
const SERVING_FIELDS = ['id', 'name', 'ml', 'price'] as const;
const MAX_SERVINGS = 12;
const MIN_ROWS = 3;
const VAT_CLASSES = ['standard', 'reduced'] as const;
type VatClassName = (typeof VAT_CLASSES)[number];
/**
 * What each VAT class covers, in a pub's own goods (Revenue's food and drink
 * VAT pages, as collected in shared/references): the rate itself comes from
 * vat_rates. Crisps and sweets are named on the standard side because a
 * "food" label invites them onto the reduced one.
 */
const VAT_EXAMPLES: Readonly<Record<VatClassName, string>> = {
  standard: 'alcohol, soft drinks, water, crisps, sweets',
  reduced: 'meals, hot food, tea and coffee',
};
const VAT_NAMES: Readonly<Record<VatClassName, string>> = { standard: 'Standard', reduced: 'Reduced' };

/** Basis points as a person writes a rate: 2300 → "23%", 1350 → "13.5%". */
function percent(bp: number): string {
  return `${new Intl.NumberFormat('en-IE', { maximumFractionDigits: 2 }).format(bp / 100)}%`;
}

/** A date of the VAT table ("2026-07-01") as "1 July 2026". */
function longDate(date: string): string {
  return new Intl.DateTimeFormat('en-IE', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${date}T00:00:00Z`));
}

/** A class's rate now, and the next one already scheduled, in words: "13.5% (9% from 1 July 2026)". */
function vatRateWords(rates: VatRate[], vatClass: VatClassName): { now: string; full: string } {
  const own = rates.filter((r) => r.vatClass === vatClass);
  const current = own.find((r) => r.current);
  const next = own.find((r) => !r.current);
  const now = current ? percent(current.rateBp) : '';
  return { now, full: next ? `${now} (${percent(next.rateBp)} from ${longDate(next.effectiveFrom)})` : now };
}

/** The VAT choices of the product form, each with its rate and what it covers. */
function vatOptions(rates: VatRate[]) {
  return VAT_CLASSES.map((value) => ({ value, label: `${VAT_NAMES[value]} ${vatRateWords(rates, value).full}: ${VAT_EXAMPLES[value]}` }));
}

/** The honest hint under the VAT choice, with today's standard rate. */
function vatHint(rates: VatRate[]): string {
  const standard = vatRateWords(rates, 'standard').now || 'the standard rate';
  return `Crisps, sweets, soft drinks and water are ${standard} even served with a meal, like all alcohol. The reduced rate is for food and catering.`;
}

/** Number fields open a numeric keypad on a phone or tablet; `pattern` only hints (the form is novalidate). */
const DECIMAL = { inputmode: 'decimal', pattern: '[0-9]*[.,]?[0-9]*' } as const;
const WHOLE = { inputmode: 'numeric', pattern: '[0-9]*' } as const;

function productValues(p: Product): Record<string, string> {
  const values: Record<string, string> = {
    name: p.name,
    category: p.category,
    abv: String(p.abv),
    vatClass: p.vatClass,
    unitMl: p.unitMl === null ? '' : String(p.unitMl),
    unitCost: euroInput(p.unitCostCents),
    parUnits: String(p.parUnits),
    location: p.location ?? '',
    sortOrder: String(p.sortOrder),
  };
  p.servings.forEach((s, i) => {
    values[`servings.${i}.id`] = s.id;
    values[`servings.${i}.name`] = s.name;
    values[`servings.${i}.ml`] = s.ml === null ? '' : String(s.ml);
    values[`servings.${i}.price`] = euroInput(s.priceCents);
  });
  return values;
}

/** The posted fields this form knows, trimmed; serving rows are found by their index. */
function postedValues(body: unknown): Record<string, string> {
  const source = (body ?? {}) as Record<string, unknown>;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(source)) {
    if (typeof v !== 'string') continue;
    const serving = /^servings\.(\d{1,2})\.(\w+)$/.exec(k);
    const known = serving
      ? Number(serving[1]) < MAX_SERVINGS && (SERVING_FIELDS as readonly string[]).includes(serving[2] ?? '')
      : (PRODUCT_FIELDS as readonly string[]).includes(k);
    if (known) out[k] = v.trim();
  }
  return out;
}

/** Enough rows for every serving there is, plus spare ones to add more. */
function rowCount(values: Record<string, string>): number {
  let used = 0;
  for (let i = 0; i < MAX_SERVINGS; i += 1) {
    if (SERVING_FIELDS.some((f) => values[`servings.${i}.${f}`])) used = i + 1;
  }
  return Math.min(MAX_SERVINGS, Math.max(MIN_ROWS, used + 2));
}

interface ParsedForm {
  /** What is sent to the worker; only when `errors` is empty (else it holds placeholders where a field was wrong). */
  input: ProductInput;
  errors: FieldErrors;
  /** rowOf[i]: the form row the API's servings[i] came from (blank rows are skipped). */
  rowOf: number[];
}

/**
 * Reads the form into the API's shape, catching what a person mistypes (a
 * word where a number goes, a missing price) beside the field. Ranges and
 * the minimum unit price are left to the contract and the worker.
 */
function parseProductForm(values: Record<string, string>): ParsedForm {
  const errors: FieldErrors = {};
  const number = (field: string, message: string, blank: number | null): number | null => {
    const text = values[field] ?? '';
    if (text === '') return blank;
    const n = parseDecimal(text);
    if (n === null) errors[field] = message;
    return n;
  };
  if (!values.name) errors.name = 'Name is required.';
  const category = values.category ?? '';
  if (!Object.hasOwn(CATEGORY_LABELS, category)) errors.category = 'Choose a category.';
  const vatClass = values.vatClass ?? '';
  if (!(VAT_CLASSES as readonly string[]).includes(vatClass)) errors.vatClass = 'Choose a VAT class.';
  const abv = number('abv', 'ABV is a percentage like 4.3 (0 for soft drinks and food).', 0);
  const unitMl = number('unitMl', 'Enter the ml in one stock unit, like 50000 for a 50 l keg, or leave it blank.', null);
  const parUnits = number('parUnits', 'Enter a number of stock units, like 4.', 0);
  let sortOrder: number | undefined;
  if (values.sortOrder) {
    sortOrder = /^\d{1,5}$/.test(values.sortOrder) ? Number(values.sortOrder) : NaN;
    if (!(sortOrder >= 1 && sortOrder <= 10_000)) errors.sortOrder = 'Enter a whole number, like 1 to put it first, or leave it blank to put it last.';
  }
  const unitCostCents = parseEuro(values.unitCost ?? '');
  if (unitCostCents === null) errors.unitCost = 'Enter the cost of one stock unit in euro, like 120.00.';

  const servings: ServingInput[] = [];
  const rowOf: number[] = [];
  for (let row = 0; row < MAX_SERVINGS; row += 1) {
    const field = (f: string) => `servings.${row}.${f}`;
    const name = values[field('name')] ?? '';
    const id = values[field('id')] ?? '';
    // A blank row is a spare; an existing serving whose name is cleared is retired.
    if (!name) {
      if (!id && (values[field('ml')] || values[field('price')])) errors[field('name')] = 'Give this serving a name, like Pint.';
      continue;
    }
    const ml = number(field('ml'), 'Enter the ml one serving draws, like 568, or leave it blank for a whole unit.', null);
    const price = parseEuro(values[field('price')] ?? '');
    if (price === null) errors[field('price')] = 'Enter the price in euro, like 6.10.';
    servings.push({ ...(id ? { id } : {}), name, ml, priceCents: price ?? 0 });
    rowOf.push(row);
  }
  if (servings.length === 0 && !errors['servings.0.name']) errors['servings.0.name'] = 'Add at least one serving, with its price.';
  return {
    input: {
      name: values.name ?? '',
      category,
      abv: abv ?? 0,
      vatClass: vatClass as ProductInput['vatClass'],
      unitMl,
      unitCostCents: unitCostCents ?? 0,
      parUnits: parUnits ?? 0,
      // A blank field clears it: the contract takes null, never an empty string.
      location: values.location ? values.location : null,
      ...(sortOrder !== undefined && !errors.sortOrder ? { sortOrder } : {}),
      servings,
    },
    errors,
    rowOf,
  };
}

/** Where a refusal about an API field shows on this form (servings.2.priceCents → that row's price). */
function formFieldFor(apiField: string, rowOf: number[]): string | null {
  const serving = /^servings\.(\d+)\.(\w+)/.exec(apiField);
  if (serving) {
    const row = rowOf[Number(serving[1])] ?? 0;
    const field = serving[2] === 'priceCents' ? 'price' : (serving[2] ?? '');
    return (SERVING_FIELDS as readonly string[]).includes(field) ? `servings.${row}.${field}` : `servings.${row}.name`;
  }
  if (apiField.startsWith('servings')) return 'servings.0.name';
  if (apiField === 'unitCostCents') return 'unitCost';
  return (PRODUCT_FIELDS as readonly string[]).includes(apiField) ? apiField : null;
}

/** The product's warnings (product-checks.ts), keyed by the form field each goes beside. */
function formWarnings(input: ProductInput, rowOf: number[]): FieldErrors {
  const out: FieldErrors = {};
  for (const w of productWarnings(input)) {
    const field = formFieldFor(w.field, rowOf) ?? 'unitMl';
    out[field] = out[field] ? `${out[field]} ${w.message}` : w.message;
  }
  return out;
}

/** The catalogue list's querystring: which list, and which product the last change was about. */
const CatalogueQuery = Type.Object({
  show: Type.Optional(Type.Literal('archived')),
  saved: Type.Optional(Uuid),
  moved: Type.Optional(Uuid),
  archived: Type.Optional(Uuid),
  restored: Type.Optional(Uuid),
});
type CatalogueQuery = Static<typeof CatalogueQuery>;

/** Where a product's row is on the list, scrolled into view by its anchor. */
function listHref(product: Pick<Product, 'id' | 'archived'>, notice: 'saved' | 'moved' | 'restored'): string {
  return `/catalogue?${product.archived ? 'show=archived&' : ''}${notice}=${product.id}#product-${product.id}`;
}

const cataloguePages: FastifyPluginAsync = async (fastify) => {
  const pages = fastify.withTypeProvider<TypeBoxTypeProvider>();
  /** The form pages change prices: the worker refuses a bartender's save, and the form is not offered either. */
  const requireManager = async (request: FastifyRequest) => {
    const session = await fastify.auth.me(request);
    if (session.staff.role !== 'manager') throw new Errors.forbidden('Only a manager can change the catalogue.');
    return session;
  };

  const renderForm = async (
    request: FastifyRequest,
    reply: FastifyReply,
    state: {
      status: number;
      product: Product | null;
      values: Record<string, string>;
      warnings: FieldErrors;
      errors?: FieldErrors;
      formError?: string | null;
      posted?: boolean;
    },
  ) => {
    const rates = await fastify.rpc.call('catalogue.listVatRates', {}, callOptions(request));
    const product = state.product;
    return reply.code(state.status).view('product-form', {
      ...(await layoutData(request, reply, 'catalogue')),
      title: product ? `Edit ${product.name}` : 'New product',
      productId: product?.id ?? null,
      archived: product?.archived ?? false,
      stock: product ? formatStock(product) : null,
      action: product ? `/catalogue/${product.id}` : '/catalogue/new',
      backHref: product ? `/catalogue${product.archived ? '?show=archived' : ''}#product-${product.id}` : '/catalogue',
      values: state.values,
      errors: state.errors ?? {},
      warnings: state.warnings,
      warningCount: Object.keys(state.warnings).length,
      formError: state.formError ?? null,
      rows: Array.from({ length: rowCount(state.values) }, (_, i) => i),
      categories: Object.entries(CATEGORY_LABELS).map(([value, label]) => ({ value, label })),
      vatClasses: vatOptions(rates.items),
      vatHint: vatHint(rates.items),
      decimal: DECIMAL,
      whole: WHOLE,
      idempotencyKey: keyFor(request, state.posted ?? false),
      archiveKey: newFormKey(),
    });
  };

  const renderList = async (request: FastifyRequest, reply: FastifyReply, query: CatalogueQuery, status = 200, formError: string | null = null) => {
    const opts = callOptions(request);
    const [session, products, rates] = await Promise.all([
      fastify.auth.me(request),
      fastify.rpc.call('catalogue.listProducts', { includeArchived: true }, opts),
      fastify.rpc.call('catalogue.listVatRates', {}, opts),
    ]);
    const archivedView = query.show === 'archived';
    const vatNow = { standard: vatRateWords(rates.items, 'standard').now, reduced: vatRateWords(rates.items, 'reduced').now };
    const byId = new Map(products.items.map((p) => [p.id, p]));
    const named = (id: string | undefined) => (id ? (byId.get(id) ?? null) : null);
    const highlight = query.saved ?? query.moved ?? query.restored ?? null;
    const listed = products.items.filter((p) => p.archived === archivedView);
    return reply.code(status).view('catalogue', {
      ...(await layoutData(request, reply, 'catalogue')),
      title: archivedView ? 'Archived products' : 'Catalogue',
      isManager: session.staff.role === 'manager',
      archivedView,
      archivedCount: products.items.filter((p) => p.archived).length,
      formError,
      saved: named(query.saved),
      archivedNow: named(query.archived),
      restored: named(query.restored),
      groups: Object.entries(CATEGORY_LABELS)
        .map(([category, label]) => {
          // The list comes in the till's order (category, place, name): each category's rows keep it.
          const inCategory = listed.filter((p) => p.category === category);
          return {
            label,
            products: inCategory.map((p, i) => ({
              id: p.id,
              name: p.name,
              abv: p.abv,
              vat: `${VAT_NAMES[p.vatClass]} ${vatNow[p.vatClass]}`.trim(),
              stock: formatStock(p),
              location: p.location,
              highlight: p.id === highlight,
              place: p.sortOrder,
              up: i > 0 ? (inCategory[i - 1]?.sortOrder ?? null) : null,
              down: i < inCategory.length - 1 ? (inCategory[i + 1]?.sortOrder ?? null) : null,
              keys: { up: newFormKey(), down: newFormKey(), restore: newFormKey() },
              servings: p.servings.map((s) => ({ name: s.name, ml: s.ml, price: formatEuro(s.priceCents) })),
            })),
          };
        })
        .filter((g) => g.products.length > 0),
    });
  };

  const save = async (request: FastifyRequest, reply: FastifyReply, product: Product | null) => {
    const values = postedValues(request.body);
    const { input, errors, rowOf } = parseProductForm(values);
    const warnings = Object.keys(errors).length ? {} : formWarnings(input, rowOf);
    // A size that is nearly always a slip is saved only once someone has looked at it and ticked the box.
    if (Object.keys(warnings).length && values.confirmWarnings !== 'yes') {
      errors.confirmWarnings = 'Check the sizes marked above. If they are right, tick this box and save again.';
    }
    return submitForm(reply, {
      errors,
      write: async () => {
        const saved = product
          ? await fastify.rpc.call('catalogue.updateProduct', { id: product.id, ...input }, formWriteOptions(request))
          : await fastify.rpc.call('catalogue.createProduct', input, formWriteOptions(request));
        // Back to the list, where the product's row is marked and scrolled to.
        return listHref(saved, 'saved');
      },
      fieldFor: (f) => formFieldFor(f, rowOf),
      render: (problem) => renderForm(request, reply, { ...problem, product, values, warnings, posted: true }),
    });
  };

  /** A one-button form of the list or the product page: the write, then back to the list; a refusal shows on the list. */
  const listAction = (request: FastifyRequest, reply: FastifyReply, write: () => Promise<string>) =>
    submitForm(reply, { write, render: (problem) => renderList(request, reply, {}, problem.status, problem.formError ?? Object.values(problem.errors)[0] ?? null) });

  pages.get(
    '/catalogue',
    { schema: { querystring: CatalogueQuery, hide: true }, preValidation: fastify.requireUserPage },
    async (request, reply) => renderList(request, reply, request.query),
  );

  pages.get('/catalogue/new', { schema: PAGE, preValidation: fastify.requireUserPage }, async (request, reply) => {
    await requireManager(request);
    return renderForm(request, reply, { status: 200, product: null, values: { category: 'draught', vatClass: 'standard', parUnits: '0' }, warnings: {} });
  });

  pages.post('/catalogue/new', { schema: PAGE, preValidation: [fastify.checkCsrf, fastify.requireUserPage] }, async (request, reply) =>
    save(request, reply, null),
  );

  pages.get('/catalogue/:id', { schema: { params: IdParams, hide: true }, preValidation: fastify.requireUserPage }, async (request, reply) => {
    const [, product] = await Promise.all([
      requireManager(request),
      fastify.rpc.call('catalogue.getProduct', { id: request.params.id }, callOptions(request)),
    ]);
    const values = productValues(product);
    // A product saved before these checks, or through the API, shows its warnings too.
    const warnings = formWarnings(product, product.servings.map((_, i) => i));
    return renderForm(request, reply, { status: 200, product, values, warnings });
  });

  pages.post(
    '/catalogue/:id',
    { schema: { params: IdParams, hide: true }, preValidation: [fastify.checkCsrf, fastify.requireUserPage] },
    async (request, reply) => {
      // No page-side role check: the worker refuses a bartender's save, and records the attempt.
      const product = await fastify.rpc.call('catalogue.getProduct', { id: request.params.id }, callOptions(request));
      return save(request, reply, product);
    },
  );

  // Move up or down the till: the button posts the place it moves to.
  pages.post(
    '/catalogue/:id/place',
    { schema: { params: IdParams, hide: true }, preValidation: [fastify.checkCsrf, fastify.requireUserPage] },
    async (request, reply) => {
      const posted = (request.body ?? {}) as Record<string, unknown>;
      const sortOrder = typeof posted.sortOrder === 'string' && /^\d{1,5}$/.test(posted.sortOrder) ? Number(posted.sortOrder) : 0;
      return listAction(request, reply, async () => {
        if (sortOrder < 1) throw new Errors.validation('Choose where to move it.');
        const moved = await fastify.rpc.call('catalogue.updateProduct', { id: request.params.id, sortOrder }, formWriteOptions(request));
        return listHref(moved, 'moved');
      });
    },
  );

  pages.post(
    '/catalogue/:id/archive',
    { schema: { params: IdParams, hide: true }, preValidation: [fastify.checkCsrf, fastify.requireUserPage] },
    async (request, reply) =>
      listAction(request, reply, async () => {
        const archived = await fastify.rpc.call('catalogue.archiveProduct', { id: request.params.id }, formWriteOptions(request));
        return `/catalogue?archived=${archived.id}`;
      }),
  );

  pages.post(
    '/catalogue/:id/restore',
    { schema: { params: IdParams, hide: true }, preValidation: [fastify.checkCsrf, fastify.requireUserPage] },
    async (request, reply) =>
      listAction(request, reply, async () => {
        const restored = await fastify.rpc.call('catalogue.restoreProduct', { id: request.params.id }, formWriteOptions(request));
        return listHref(restored, 'restored');
      }),
  );
};

export default cataloguePages;
