import { Errors, type ReplyOf, type RequestOf } from '@barback/messaging';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Static } from '@sinclair/typebox';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { callOptions } from '../../../services/auth.js';
import { formWriteOptions } from '../../../services/calls.js';
import { euroInput, formatEuro, parseDecimal, parseEuro } from '../../../services/format.js';
import type { FieldErrors } from '../../../services/forms.js';
import { CATEGORY_LABELS, PAGE, displayHelpers, keyFor, layoutData, submitForm } from '../../../services/pages.js';
import { IdParams } from '../../api/common.js';

type Product = ReplyOf<'catalogue.getProduct'>;
type ProductInput = RequestOf<'catalogue.createProduct'>;
type ServingInput = ProductInput['servings'][number];

/** Money fields are typed in euro on the form; the API's names end in Cents. */
const PRODUCT_FIELDS = ['name', 'category', 'abv', 'vatClass', 'unitMl', 'unitCost', 'parUnits'] as const;
const SERVING_FIELDS = ['id', 'name', 'ml', 'price'] as const;
const MAX_SERVINGS = 12;
const MIN_ROWS = 3;
const VAT_CLASSES = [
  { value: 'standard', label: 'Standard rate (drinks)' },
  { value: 'reduced', label: 'Reduced rate (food)' },
];

function productValues(p: Product): Record<string, string> {
  const values: Record<string, string> = {
    name: p.name,
    category: p.category,
    abv: String(p.abv),
    vatClass: p.vatClass,
    unitMl: p.unitMl === null ? '' : String(p.unitMl),
    unitCost: euroInput(p.unitCostCents),
    parUnits: String(p.parUnits),
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
      ? Number(serving[1]) < MAX_SERVINGS && (SERVING_FIELDS as readonly string[]).includes(serving[2]!)
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
  if (!VAT_CLASSES.some((v) => v.value === vatClass)) errors.vatClass = 'Choose a VAT class.';
  const abv = number('abv', 'ABV is a percentage like 4.3 (0 for soft drinks and food).', 0);
  const unitMl = number('unitMl', 'Enter the ml in one stock unit, like 50000 for a 50 l keg, or leave it blank.', null);
  const parUnits = number('parUnits', 'Enter a number of stock units, like 4.', 0);
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
      category: category as ProductInput['category'],
      abv: abv ?? 0,
      vatClass: vatClass as ProductInput['vatClass'],
      unitMl,
      unitCostCents: unitCostCents ?? 0,
      parUnits: parUnits ?? 0,
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
    const field = serving[2] === 'priceCents' ? 'price' : serving[2]!;
    return (SERVING_FIELDS as readonly string[]).includes(field) ? `servings.${row}.${field}` : `servings.${row}.name`;
  }
  if (apiField.startsWith('servings')) return 'servings.0.name';
  if (apiField === 'unitCostCents') return 'unitCost';
  return (PRODUCT_FIELDS as readonly string[]).includes(apiField) ? apiField : null;
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
      productId: string | null;
      values: Record<string, string>;
      errors?: FieldErrors;
      formError?: string | null;
      saved?: boolean;
      posted?: boolean;
    },
  ) =>
    reply.code(state.status).view('product-form', {
      ...(await layoutData(request, reply, 'catalogue')),
      title: state.productId ? `Edit ${state.values.name ?? 'product'}` : 'New product',
      productId: state.productId,
      action: state.productId ? `/catalogue/${state.productId}` : '/catalogue/new',
      values: state.values,
      errors: state.errors ?? {},
      formError: state.formError ?? null,
      saved: state.saved ?? false,
      rows: Array.from({ length: rowCount(state.values) }, (_, i) => i),
      categories: Object.entries(CATEGORY_LABELS).map(([value, label]) => ({ value, label })),
      vatClasses: VAT_CLASSES,
      idempotencyKey: keyFor(request, state.posted ?? false),
    });

  const save = async (request: FastifyRequest, reply: FastifyReply, productId: string | null) => {
    const values = postedValues(request.body);
    const { input, errors, rowOf } = parseProductForm(values);
    return submitForm(reply, {
      errors,
      write: async () => {
        const product = productId
          ? await fastify.rpc.call('catalogue.updateProduct', { id: productId, ...input }, formWriteOptions(request))
          : await fastify.rpc.call('catalogue.createProduct', input, formWriteOptions(request));
        return `/catalogue/${product.id}?saved=1`;
      },
      fieldFor: (f) => formFieldFor(f, rowOf),
      render: (problem) => renderForm(request, reply, { ...problem, productId, values, posted: true }),
    });
  };

  pages.get('/catalogue', { schema: PAGE, preValidation: fastify.requireUserPage }, async (request, reply) => {
    const [session, products] = await Promise.all([
      fastify.auth.me(request),
      fastify.rpc.call('catalogue.listProducts', {}, callOptions(request)),
    ]);
    const show = displayHelpers(session.venue.timeZone);
    return reply.view('catalogue', {
      ...(await layoutData(request, reply, 'catalogue')),
      title: 'Catalogue',
      isManager: session.staff.role === 'manager',
      groups: Object.entries(CATEGORY_LABELS)
        .map(([category, label]) => ({
          label,
          products: products.items
            .filter((p) => p.category === category)
            .sort((a, b) => a.name.localeCompare(b.name))
            .map((p) => ({
              id: p.id,
              name: p.name,
              abv: p.abv,
              vatClass: p.vatClass,
              stockUnits: p.stockUnits,
              updatedAt: show.dateTime(p.updatedAt),
              servings: p.servings.map((s) => ({
                name: s.name,
                ml: s.ml,
                price: formatEuro(s.priceCents),
              })),
            })),
        }))
        .filter((g) => g.products.length > 0),
    });
  });

  pages.get('/catalogue/new', { schema: PAGE, preValidation: fastify.requireUserPage }, async (request, reply) => {
    await requireManager(request);
    return renderForm(request, reply, { status: 200, productId: null, values: { category: 'draught', vatClass: 'standard', parUnits: '0' } });
  });

  pages.post('/catalogue/new', { schema: PAGE, preValidation: [fastify.csrfProtection, fastify.requireUserPage] }, async (request, reply) =>
    save(request, reply, null),
  );

  // `?saved=1` is a flag this page's own redirect adds, read as given: no querystring schema, so the type is written here.
  fastify.get<{ Params: Static<typeof IdParams>; Querystring: { saved?: string } }>(
    '/catalogue/:id',
    { schema: { params: IdParams, hide: true }, preValidation: fastify.requireUserPage },
    async (request, reply) => {
      const [, product] = await Promise.all([
        requireManager(request),
        fastify.rpc.call('catalogue.getProduct', { id: request.params.id }, callOptions(request)),
      ]);
      return renderForm(request, reply, { status: 200, productId: product.id, values: productValues(product), saved: request.query.saved === '1' });
    },
  );

  pages.post(
    '/catalogue/:id',
    { schema: { params: IdParams, hide: true }, preValidation: [fastify.csrfProtection, fastify.requireUserPage] },
    async (request, reply) => save(request, reply, request.params.id),
  );
};

export default cataloguePages;
