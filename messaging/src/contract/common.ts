import { Type, type TSchema } from '@sinclair/typebox';

/**
 * Characters no one types into a one-line field: C0 controls (NUL, tab,
 * newline...), DEL and C1 controls. PostgreSQL refuses NUL in text outright,
 * and the rest are invisible on a page or a receipt.
 */
const CONTROL = '\\u0000-\\u001F\\u007F-\\u009F';

/** What each text pattern of the contract means, in words a caller can act on. */
export const TEXT_PATTERNS = {
  /** Something visible, and no control characters. */
  line: `^(?=[\\s\\S]*\\S)[^${CONTROL}]*$`,
} as const;

export const PATTERN_WORDS: Readonly<Record<string, string>> = {
  [TEXT_PATTERNS.line]: 'must not be blank or contain control characters (such as NUL, tab or newline)',
};

/**
 * One line of free text a person typed (a name, a reason): not blank, no
 * control characters. Every free-text field of the contract is one, so bad
 * text is refused with the field named before anything is published.
 */
export function Text(maxLength: number) {
  return Type.String({ minLength: 1, maxLength, pattern: TEXT_PATTERNS.line });
}

export const Uuid = Type.String({ format: 'uuid' });
export const Email = Type.String({ format: 'email', maxLength: 254 });
/** argon2id PHC strings only: a plaintext password must never cross the broker. */
export const PasswordHash = Type.String({ pattern: '^\\$argon2id\\$', maxLength: 512 });
export const Timestamp = Type.String({ format: 'date-time' });
export const Nullable = <S extends TSchema>(schema: S) => Type.Union([schema, Type.Null()]);

/** A list that pages (sales, the audit log) answers this many items unless asked for more, and never more than the maximum. */
export const PAGE_LIMIT_DEFAULT = 100;
export const PAGE_LIMIT_MAX = 500;

/** What a paged list's request adds to its filters. */
export const pageRequest = {
  limit: Type.Optional(
    Type.Integer({ minimum: 1, maximum: PAGE_LIMIT_MAX, default: PAGE_LIMIT_DEFAULT, description: `Items per page, at most ${PAGE_LIMIT_MAX}.` }),
  ),
  cursor: Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 200,
      pattern: '^[A-Za-z0-9_-]+$',
      description: 'The nextCursor of the previous page, with the same filters; leave it out for the newest items.',
    }),
  ),
};

/** A page of a list, newest first, and where the next (older) one starts: null on the last page. */
export const pageOf = <S extends TSchema>(item: S) =>
  Type.Object({
    items: Type.Array(item),
    nextCursor: Nullable(Type.String({ description: 'Pass it as cursor for the next page; null when this is the last.' })),
  });

export const Role = Type.Union([Type.Literal('manager'), Type.Literal('bartender')]);

export const StaffSummary = Type.Object({
  id: Uuid,
  name: Type.String(),
  email: Type.String(),
  role: Role,
  mustChangePassword: Type.Boolean(),
});

export const VenueSummary = Type.Object({
  id: Uuid,
  name: Type.String(),
  timeZone: Type.String(),
});

/** Who is logged in, as the worker confirmed it against the database. */
export const Session = Type.Object({ staff: StaffSummary, venue: VenueSummary });

export const PaymentMethod = Type.Union([Type.Literal('cash'), Type.Literal('card'), Type.Literal('other')]);
export const PaymentInput = Type.Object(
  { method: PaymentMethod, amountCents: Type.Integer({ minimum: 1, maximum: 100_000_000 }) },
  { additionalProperties: false },
);
export const Payments = Type.Array(PaymentInput, { minItems: 1, maxItems: 6 });
export const Quantity = Type.Integer({ minimum: 1, maximum: 100 });
export const Reason = Text(500);

/** What a line shows on a tab and on a sale alike. */
export const lineFields = {
  id: Uuid,
  servingId: Uuid,
  productId: Uuid,
  description: Type.String(),
  quantity: Type.Integer(),
  unitPriceCents: Type.Integer(),
  grossCents: Type.Integer(),
};
