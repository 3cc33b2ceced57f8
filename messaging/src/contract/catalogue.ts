import { Type } from '@sinclair/typebox';
import { defineAction } from './define.js';
import { Nullable, Text, Timestamp, Uuid } from './common.js';

export const Category = Type.Union(
  ['draught', 'bottle', 'spirit', 'wine', 'soft', 'food', 'other'].map((c) => Type.Literal(c)),
);
export const VatClass = Type.Union([Type.Literal('standard'), Type.Literal('reduced')]);

const Name = Text(120);
const Ml = Nullable(Type.Number({ exclusiveMinimum: 0, maximum: 1_000_000 }));

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

export const ProductInput = Type.Object(
  { ...productFields, servings: Type.Array(ServingInput, { minItems: 1, maxItems: 12 }) },
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
  servings: Type.Array(Serving),
  stockUnits: Type.Number(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});

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
        servings: Type.Optional(Type.Array(ServingInput, { minItems: 1, maxItems: 12 })),
      },
      { additionalProperties: false },
    ),
    reply: Product,
  }),
  'catalogue.listProducts': defineAction({
    kind: 'read',
    auth: 'session',
    request: Type.Object({}, { additionalProperties: false }),
    reply: Type.Object({ items: Type.Array(Product) }),
  }),
  'catalogue.getProduct': defineAction({
    kind: 'read',
    auth: 'session',
    request: Type.Object({ id: Uuid }, { additionalProperties: false }),
    reply: Product,
  }),
};
