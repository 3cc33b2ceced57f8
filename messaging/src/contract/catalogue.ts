import { Type } from '@sinclair/typebox';
import { defineAction } from './define.js';
import { Nullable, Text, Timestamp, Uuid } from './common.js';

export const Category = Type.Union(
  ['draught', 'bottle', 'spirit', 'wine', 'soft', 'food', 'other'].map((c) => Type.Literal(c)),
);
export const VatClass = Type.Union([Type.Literal('standard'), Type.Literal('reduced')]);

const Name = Text(120);
/**
 * Millilitres, as the columns keep them: numeric(8, 1) for a serving and
 * numeric(10, 1) for a stock unit, each checked above zero. Anything below
 * 0.1 would round to 0.0 there and break the check (1e-300 was let through
 * and failed in the database), so 0.1 is the least.
 */
const Ml = Nullable(Type.Number({ minimum: 0.1, maximum: 1_000_000 }));

export const ServingInput = Type.Object(
  {
    /** Present to change an existing serving; absent to add one. */
    id: Type.Optional(Uuid),
    name: Text(60),
    /** What one serving draws from stock; null: one whole stock unit. */
    ml: Ml,
    /** Gross, VAT included. */
    priceCents: Type.Integer({ minimum: 0, maximum: 10_000_000 }),
  },
  { additionalProperties: false },
);

const productFields = {
  name: Name,
  category: Category,
  abv: Type.Number({ minimum: 0, maximum: 100 }),
  vatClass: VatClass,
  /** ml in one stock unit; null for things counted in units. */
  unitMl: Ml,
  unitCostCents: Type.Integer({ minimum: 0, maximum: 100_000_000 }),
  parUnits: Type.Number({ minimum: 0, maximum: 1_000_000 }),
};

/**
 * Where the product goes within its category on the till and in the
 * catalogue: 1 is first; a number past the last puts it last. Left out: a new
 * product goes last, a changed one stays where it is (or goes last in a new
 * category). The others of its category move up or down to make room.
 */
const SortOrderInput = Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000 }));

/**
 * What one stock unit weighs full and empty, in grams, so a stocktake can
 * weigh a partial keg or bottle: (gross − empty) / (full − empty). Optional;
 * null clears it. Full must be above empty (checked by the worker).
 */
const weightFields = {
  fullWeightGrams: Type.Optional(Nullable(Type.Integer({ minimum: 1, maximum: 1_000_000 }))),
  emptyWeightGrams: Type.Optional(Nullable(Type.Integer({ minimum: 0, maximum: 1_000_000 }))),
};

/**
 * Where the product is kept ("Cellar", "Keg room", "Back bar"): the stocktake
 * count sheet groups each category by it, so a person counts shelf by shelf.
 * Optional; null clears it (a form sends null for an empty field: Text
 * refuses an empty string, and the worker trims what it keeps).
 */
const locationField = { location: Type.Optional(Nullable(Text(40))) };

export const ProductInput = Type.Object(
  { ...productFields, ...weightFields, ...locationField, sortOrder: SortOrderInput, servings: Type.Array(ServingInput, { minItems: 1, maxItems: 12 }) },
  { additionalProperties: false },
);

export const Serving = Type.Object({
  id: Uuid,
  name: Type.String(),
  ml: Nullable(Type.Number()),
  priceCents: Type.Integer(),
});

export const Product = Type.Object({
  id: Uuid,
  ...productFields,
  name: Type.String(),
  fullWeightGrams: Nullable(Type.Integer()),
  emptyWeightGrams: Nullable(Type.Integer()),
  /** Where it is kept, or null. */
  location: Nullable(Type.String()),
  servings: Type.Array(Serving),
  stockUnits: Type.Number(),
  /** Its place within its category (1 first); archived products keep the number they had. */
  sortOrder: Type.Integer(),
  /** No longer sold: off the till and the default list, still in sales and the audit log; restorable. */
  archived: Type.Boolean(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});

/** A VAT rate of a class, from the day it takes effect (a date in the venue's calendar). */
export const VatRate = Type.Object({
  vatClass: VatClass,
  /** Basis points: 2300 is 23%, 1350 is 13.5%. */
  rateBp: Type.Integer(),
  effectiveFrom: Type.String({ format: 'date' }),
  /** The rate charged today by the venue's calendar; the other rows are changes already scheduled. */
  current: Type.Boolean(),
});

const ProductId = Type.Object({ id: Uuid }, { additionalProperties: false });

export const catalogueActions = {
  'catalogue.createProduct': defineAction({
    kind: 'write',
    auth: 'session',
    role: 'manager',
    request: ProductInput,
    reply: Product,
  }),
  /** Fields left out stay as they are. `servings`, when given, is the full list: servings left out are retired. */
  'catalogue.updateProduct': defineAction({
    kind: 'write',
    auth: 'session',
    role: 'manager',
    request: Type.Object(
      {
        id: Uuid,
        ...Type.Partial(Type.Object(productFields)).properties,
        ...weightFields,
        ...locationField,
        sortOrder: SortOrderInput,
        servings: Type.Optional(Type.Array(ServingInput, { minItems: 1, maxItems: 12 })),
      },
      { additionalProperties: false },
    ),
    reply: Product,
  }),
  /** By category, then sortOrder, then name. What the till sells: archived products only when asked for. */
  'catalogue.listProducts': defineAction({
    kind: 'read',
    auth: 'session',
    request: Type.Object({ includeArchived: Type.Optional(Type.Boolean()) }, { additionalProperties: false }),
    reply: Type.Object({ items: Type.Array(Product) }),
  }),
  /** Any product of the venue, archived or not. */
  'catalogue.getProduct': defineAction({
    kind: 'read',
    auth: 'session',
    request: ProductId,
    reply: Product,
  }),
  /** Off the till and the default list; its sales, tab lines and audit entries stay. Archiving an archived product changes nothing. */
  'catalogue.archiveProduct': defineAction({
    kind: 'write',
    auth: 'session',
    role: 'manager',
    request: ProductId,
    reply: Product,
  }),
  /** Back on the till, last in its category. Restoring a product that is not archived changes nothing. */
  'catalogue.restoreProduct': defineAction({
    kind: 'write',
    auth: 'session',
    role: 'manager',
    request: ProductId,
    reply: Product,
  }),
  /** Each VAT class's rate in force today (by the venue's calendar) and any change already scheduled, by class then date. */
  'catalogue.listVatRates': defineAction({
    kind: 'read',
    auth: 'session',
    request: Type.Object({}, { additionalProperties: false }),
    reply: Type.Object({ items: Type.Array(VatRate) }),
  }),
};
