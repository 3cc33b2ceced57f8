import { Type, type TSchema } from '@sinclair/typebox';

/**
 * Characters no one types into a one-line field: C0 controls (NUL, tab,
 * newline...), DEL and C1 controls. PostgreSQL refuses NUL in text outright,
 * and the rest are invisible on a page or a receipt.
 */
const CONTROL = '\\u0000-\\u001F\\u007F-\\u009F';
/**
 * Unicode's explicit text-direction controls: the embeddings and overrides
 * (U+202A-202E), the isolates (U+2066-2069), the left-to-right and
 * right-to-left marks (U+200E, U+200F) and the Arabic letter mark (U+061C).
 * A right-to-left override in a name reverses what follows it on every page
 * that shows it, so a name could make an audit line read as something else.
 * Arabic and Hebrew letters need none of them: they carry their own direction.
 */
const DIRECTION = '\\u061C\\u200E\\u200F\\u202A-\\u202E\\u2066-\\u2069';
/**
 * Characters that draw nothing: JavaScript's whitespace (what String.trim()
 * removes, so what the worker trims away), and the invisible format
 * characters (soft hyphen, zero-width space and joiners, word joiner, Hangul
 * fillers, variation selectors, byte-order mark) besides the direction controls.
 */
const INVISIBLE =
  '\\s\\u00AD\\u034F\\u115F\\u1160\\u17B4\\u17B5\\u180B-\\u180F\\u200B-\\u200D\\u2060-\\u2065\\u206A-\\u206F\\u3164\\uFE00-\\uFE0F\\uFEFF\\uFFA0';

/**
 * The rules one line of free text keeps, each a pattern with its own words, in
 * the order they are checked. JSON Schema patterns are ECMA-262 regular
 * expressions with the `u` flag (as ajv compiles them), so a character class
 * sees a surrogate pair as the one code point it is and only an unpaired
 * surrogate as U+D800-DFFF.
 */
export const TEXT_PATTERNS = {
  /** No control characters. */
  noControls: `^[^${CONTROL}]*$`,
  /** No text-direction controls. */
  noDirectionControls: `^[^${DIRECTION}]*$`,
  /**
   * Well-formed UTF-16: no unpaired surrogate (PostgreSQL refuses one in JSON,
   * where every request and reply is kept, and it is no character at all).
   */
  wellFormed: '^[^\\uD800-\\uDFFF]*$',
  /** Something visible: not empty once trimmed, as the database's length check sees it. */
  visible: `[^${INVISIBLE}${CONTROL}${DIRECTION}]`,
} as const;

/**
 * Text's rules as the schema carries them: an allOf, so each failure is
 * reported in its own words. ajv checks an allOf before the string keywords
 * beside it, so the rules start with minLength: an empty value is reported
 * as missing ("is required"), as a form would say it, not as blank.
 */
export const TEXT_RULES = [
  { minLength: 1 },
  { pattern: TEXT_PATTERNS.noControls },
  { pattern: TEXT_PATTERNS.noDirectionControls },
  { pattern: TEXT_PATTERNS.wellFormed },
  { pattern: TEXT_PATTERNS.visible },
];

/**
 * One line of free text a person typed (a name, a reason): something
 * visible, no control or text-direction characters, well-formed Unicode, at
 * most `maxLength` characters (code points, as PostgreSQL's length() counts
 * them). Every free-text field of the contract is one, so bad text is refused
 * with the field named before anything is published.
 */
export function Text(maxLength: number) {
  return Type.String({ minLength: 1, maxLength, allOf: TEXT_RULES.map((rule) => ({ ...rule })) });
}

export const Uuid = Type.String({ format: 'uuid' });
export const Email = Type.String({ format: 'email', maxLength: 254 });
/**
 * argon2id PHC strings only (`$argon2id$v=19$m=...,t=...,p=...$salt$hash`, the
 * salt and hash in unpadded base64): a plaintext password must never cross
 * the broker, and the whole string is pinned, not only its start.
 */
export const PASSWORD_HASH_PATTERN = '^\\$argon2id\\$[A-Za-z0-9+/=,$.-]+$';
export const PasswordHash = Type.String({ pattern: PASSWORD_HASH_PATTERN, maxLength: 512 });
export const Timestamp = Type.String({ format: 'date-time' });

/**
 * An RFC 3339 date and time with its offset, in the years 2000 to 2100, with
 * seconds 00-59. The worker builds a JavaScript Date from it, which cannot
 * stand for a leap second (9999-12-31T23:59:60Z became "Invalid Date" and a
 * query of `0NaN-NaN-...`), and PostgreSQL has no year 0; nothing a bar
 * records falls outside those years. The pattern pins the shape; the
 * date-time format then checks the calendar (no 30 February).
 */
export const INSTANT_PATTERN = '^(?:20\\d{2}|2100)-\\d{2}-\\d{2}[Tt ]\\d{2}:\\d{2}:[0-5]\\d(?:\\.\\d{1,9})?(?:[Zz]|[+-]\\d{2}:\\d{2})$';

/** An instant a caller sends (a filter's from or to); replies use Timestamp. */
export const Instant = Type.String({ format: 'date-time', pattern: INSTANT_PATTERN });

/** A two-month VAT period by its first month: Irish bi-monthly periods start in January, March, May, July, September and November. */
export const VAT_PERIOD_PATTERN = '^(?:20\\d{2}|2100)-(?:0[13579]|11)$';

/** What each pattern of the contract means, in words a caller can act on. */
export const PATTERN_WORDS: Readonly<Record<string, string>> = {
  [TEXT_PATTERNS.noControls]: 'must not contain control characters (such as NUL, tab or newline)',
  [TEXT_PATTERNS.noDirectionControls]: 'must not contain text-direction control characters (such as U+202E, right-to-left override)',
  [TEXT_PATTERNS.wellFormed]: 'must not contain an unpaired UTF-16 surrogate',
  [TEXT_PATTERNS.visible]: 'must not be blank',
  [PASSWORD_HASH_PATTERN]: 'must be an argon2id hash: the front end hashes a password, which itself is never sent',
  [INSTANT_PATTERN]: 'must be a date and time from the year 2000 to 2100 with its time zone, such as 2026-03-17T18:30:00Z',
  [VAT_PERIOD_PATTERN]: 'must be the first month of a two-month VAT period (January, March, May, July, September or November), such as 2026-11',
};

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
