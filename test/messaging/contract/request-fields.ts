/**
 * Walks every request schema of the contract: finds each field (nested
 * objects and arrays included), sorts it into a class (free text, instant,
 * uuid, whole number...), and gives each class its edge values: the values
 * just outside what the field takes (each with the words the refusal must
 * use) and the values at its edges that it must still take. A request that
 * passes is made from the schema too, to put one value into. So a new action
 * or field is tried without new test code. Shared by the unit test
 * (validateRequest), the broker test (RpcClient.call refuses before
 * publishing) and the HTTP test.
 */
import { randomUUID } from 'node:crypto';
import { INSTANT_PATTERN, PATTERN_WORDS, TEXT_PATTERNS, TEXT_RULES, actions, type ActionName } from '@barback/messaging';

type Schema = Record<string, unknown>;
type Path = Array<string | number>;

export type FieldClass = 'text' | 'instant' | 'uuid' | 'email' | 'literal' | 'token' | 'document' | 'integer' | 'number' | 'boolean' | 'array' | 'object';

/** A field of any JSON schema: a contract request, or an HTTP body or parameter in the OpenAPI document. */
export interface SchemaField {
  /** Whose field it is: an action, or an operation. */
  action: string;
  /** As the validation names it: servings.0.name; '' for the request itself. */
  field: string;
  path: Path;
  schema: Schema;
  /** null: a string nothing checks (a plain Type.String()), which the unit test flags. */
  cls: FieldClass | null;
  /** The field also takes null (Nullable). */
  nullable: boolean;
}

export interface RequestField extends SchemaField {
  action: ActionName;
}

export interface EdgeValue {
  what: string;
  value: unknown;
  /** For a refusal: the field named, when not the field itself (a missing or unknown property). */
  field?: string;
  /** For a refusal: the words after the field's name, when the class fixes them. */
  words?: string;
  /** A value of another JSON type, which a query string (all text) cannot carry. */
  wrongType?: boolean;
}

export const actionNames = Object.keys(actions) as ActionName[];

const isLiteral = (schema: Schema) => schema.const !== undefined || Array.isArray(schema.enum);

export const isText = (schema: Schema) => JSON.stringify(schema.allOf) === JSON.stringify(TEXT_RULES);

function stringClass(schema: Schema): FieldClass | null {
  if (isText(schema)) return 'text';
  if (isLiteral(schema)) return 'literal';
  if (schema.format === 'date-time') return 'instant';
  if (schema.format === 'uuid') return 'uuid';
  if (schema.format === 'email') return 'email';
  // A whole document (an e-invoice's XML): many lines, any characters XML allows.
  if (schema.contentMediaType === 'application/xml') return 'document';
  if (typeof schema.pattern === 'string') return 'token';
  return null;
}

function* walk<A extends string>(action: A, schema: Schema, path: Path, nullable = false): Generator<SchemaField & { action: A }> {
  const at = (cls: FieldClass | null, s: Schema = schema, n = nullable): SchemaField & { action: A } => ({
    action,
    field: path.join('.'),
    path,
    schema: s,
    cls,
    nullable: n,
  });
  if (Array.isArray(schema.anyOf)) {
    const branches = schema.anyOf as Schema[];
    const others = branches.filter((b) => b.type !== 'null');
    const withNull = nullable || others.length < branches.length;
    if (others.every(isLiteral)) {
      yield at('literal', schema, withNull);
      return;
    }
    if (others.length !== 1) throw new Error(`${action} ${path.join('.')}: the walk knows only Nullable unions and choices of literals`);
    yield* walk(action, others[0]!, path, withNull);
    return;
  }
  if (isLiteral(schema)) {
    yield at('literal');
    return;
  }
  switch (schema.type) {
    case 'object':
      yield at('object');
      for (const [name, property] of Object.entries((schema.properties ?? {}) as Record<string, Schema>)) {
        yield* walk(action, property, [...path, name]);
      }
      return;
    case 'array':
      yield at('array');
      yield* walk(action, schema.items as Schema, [...path, 0]);
      return;
    case 'string':
      yield at(stringClass(schema));
      return;
    case 'integer':
    case 'number':
    case 'boolean':
      yield at(schema.type);
      return;
    default:
      throw new Error(`${action} ${path.join('.')}: the walk does not know ${JSON.stringify(schema)}`);
  }
}

/** Every field of every request schema, the request itself ('') first. */
export function requestFields(): RequestField[] {
  return actionNames.flatMap((action) => schemaFields(action, actions[action].request as unknown as Schema));
}

/** Every field of one schema (`path` is where it sits in what is sent), the schema itself first. */
export function schemaFields<A extends string>(owner: A, schema: Schema, path: Path = []): Array<SchemaField & { action: A }> {
  return [...walk(owner, schema, path)];
}

// Any argon2id PHC string will do: the contract checks its shape, not the hash.
const HASH = '$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA';
/** Values for patterned strings, tried in order until one fits. */
const TOKENS = ['Ok', HASH, /* a PIN */ '4826', /* a day */ '2026-03-17', /* a VAT period */ '2026-03', 'abc_DEF-123', '0/16B3748', /* a till key's SHA-256, base64url */ 'n4bQgYhMfWWaL-qgxVrQFaO_TxsrC4Is0V1sFbDwCgg', /* a GTIN */ '5390000000017'];

function sampleString(schema: Schema): string {
  if (isLiteral(schema)) return (schema.const ?? (schema.enum as string[])[0]) as string;
  switch (schema.format) {
    case 'uuid':
      return randomUUID();
    case 'email':
      return 'someone@example.ie';
    case 'date-time':
      return new Date().toISOString();
  }
  // Free text, or a string only the front end reads (a password): long enough for its minLength.
  if (isText(schema) || typeof schema.pattern !== 'string') return 'Ok'.padEnd((schema.minLength as number | undefined) ?? 0, 'k');
  const pattern = new RegExp(schema.pattern, 'u');
  const fits = TOKENS.find((t) => pattern.test(t) && t.length <= ((schema.maxLength as number | undefined) ?? Infinity));
  if (!fits) throw new Error(`no sample value fits the pattern ${schema.pattern}: add one to TOKENS`);
  return fits;
}

/** A value the schema accepts, with every optional field present so each can be walked to. */
export function sample(schema: Schema): unknown {
  if (schema.const !== undefined) return schema.const;
  if (Array.isArray(schema.anyOf)) {
    const branches = schema.anyOf as Schema[];
    return sample(branches.find((b) => b.type !== 'null') ?? branches[0]!);
  }
  switch (schema.type) {
    case 'object':
      return Object.fromEntries(Object.entries((schema.properties ?? {}) as Record<string, Schema>).map(([k, v]) => [k, sample(v)]));
    case 'array':
      return Array.from({ length: Math.max(1, (schema.minItems as number | undefined) ?? 0) }, () => sample(schema.items as Schema));
    case 'string':
      return sampleString(schema);
    case 'integer':
    case 'number': {
      if (typeof schema.minimum === 'number') return schema.minimum;
      if (typeof schema.exclusiveMinimum === 'number') return schema.exclusiveMinimum + 1;
      return 1;
    }
    case 'boolean':
      return true;
    case 'null':
      return null;
    default:
      throw new Error(`sample() does not know ${JSON.stringify(schema)}`);
  }
}

export function validRequest(action: ActionName): Record<string, unknown> {
  return sample(actions[action].request) as Record<string, unknown>;
}

/** `request` with the value at `path` replaced (the whole request for an empty path). */
export function withValue(request: Record<string, unknown>, path: Path, value: unknown): unknown {
  if (path.length === 0) return structuredClone(value);
  const copy = structuredClone(request);
  let node = copy as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  node[path[path.length - 1]!] = value;
  return copy;
}

export const TEXT_WORDS = {
  blank: PATTERN_WORDS[TEXT_PATTERNS.visible]!,
  control: PATTERN_WORDS[TEXT_PATTERNS.noControls]!,
  direction: PATTERN_WORDS[TEXT_PATTERNS.noDirectionControls]!,
  surrogate: PATTERN_WORDS[TEXT_PATTERNS.wellFormed]!,
};
const INSTANT_WORDS = PATTERN_WORDS[INSTANT_PATTERN]!;
const DATE_TIME_WORDS = 'must be a date and time with its time zone, such as 2026-03-17T18:30:00Z';

/** Every text-direction control Unicode has, each of which a Text refuses. */
export const DIRECTION_CONTROLS = ['\u061C', '\u200E', '\u200F', '\u202A', '\u202B', '\u202C', '\u202D', '\u202E', '\u2066', '\u2067', '\u2068', '\u2069'];
const hex = (c: string) => `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;

/** Values no Text field may take, with the words its refusal uses. */
export const BAD_TEXT: ReadonlyArray<[string, string, string]> = [
  ['nothing', '', 'is required'],
  ['only spaces', '   ', TEXT_WORDS.blank],
  ['only other spaces (no-break, em, ideographic)', '\u00A0\u2003\u3000', TEXT_WORDS.blank],
  ['only invisible characters (zero-width space, word joiner, BOM, soft hyphen)', '\u200B\u2060\uFEFF\u00AD', TEXT_WORDS.blank],
  ['a NUL', 'The Stag\u0000', TEXT_WORDS.control],
  ['a bell (C0)', 'The\u0007Stag', TEXT_WORDS.control],
  ['a CSI (C1)', 'The\u009bStag', TEXT_WORDS.control],
  ['a DEL', 'The Stag\u007f', TEXT_WORDS.control],
  ['a tab', 'The\tStag', TEXT_WORDS.control],
  ['a newline', 'The Stag\nBar', TEXT_WORDS.control],
  ['a carriage return', 'The Stag\r', TEXT_WORDS.control],
  ...DIRECTION_CONTROLS.map((c): [string, string, string] => [`the direction control ${hex(c)}`, `The ${c}Stag`, TEXT_WORDS.direction]),
  ['only a right-to-left override', '\u202E', TEXT_WORDS.direction],
  ['a lone high surrogate', 'The \uD83C Stag', TEXT_WORDS.surrogate],
  ['a lone low surrogate', 'The \uDF7A Stag', TEXT_WORDS.surrogate],
  ['a surrogate pair reversed', 'The \uDF7A\uD83C Stag', TEXT_WORDS.surrogate],
  ['a high surrogate at the end', 'The Stag\uD800', TEXT_WORDS.surrogate],
];

/** Text every Text field must take (within its length). */
const GOOD_TEXT: ReadonlyArray<[string, string]> = [
  ['accents, quotes and symbols', 'Ó Briain’s “Snug” – €5'],
  ['Hebrew (right-to-left letters need no control)', 'שלום'],
  ['Arabic', 'مرحبا'],
  ['Japanese', '日本酒'],
  ['an emoji joined with zero-width joiners', '👨‍👩‍👧 fam'],
  ['a no-break space inside', 'Ó\u00A0Briain'],
  ['spaces around it (the worker trims them)', '  Snug  '],
];

const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`;

/** A number field's bounds, and whether each is exclusive (the value itself refused). */
function bounds(schema: Schema): { min: number; max: number; above: boolean; below: boolean } {
  const above = typeof schema.exclusiveMinimum === 'number';
  const below = typeof schema.exclusiveMaximum === 'number';
  const min = (above ? schema.exclusiveMinimum : schema.minimum) as number;
  const max = (below ? schema.exclusiveMaximum : schema.maximum) as number;
  return { min, max, above, below };
}

/** A value of another JSON type than the field's, for each type it does not take. */
function wrongTypes(f: SchemaField, words: string): EdgeValue[] {
  const all: EdgeValue[] = [
    { what: 'a number', value: 2, words },
    { what: 'a numeric string', value: '2', words },
    { what: 'true', value: true, words },
    { what: 'null', value: null, words },
    { what: 'an array of one string', value: ['x'], words },
    { what: 'an object', value: {}, words },
  ];
  const takes: Record<FieldClass, (v: unknown) => boolean> = {
    text: (v) => typeof v === 'string',
    instant: (v) => typeof v === 'string',
    uuid: (v) => typeof v === 'string',
    email: (v) => typeof v === 'string',
    token: (v) => typeof v === 'string',
    document: (v) => typeof v === 'string',
    literal: () => false,
    integer: (v) => typeof v === 'number',
    number: (v) => typeof v === 'number',
    boolean: (v) => typeof v === 'boolean',
    array: (v) => Array.isArray(v),
    object: (v) => typeof v === 'object' && v !== null && !Array.isArray(v),
  };
  return all.filter((e) => !takes[f.cls!](e.value) && !(f.nullable && e.value === null)).map((e) => ({ ...e, wrongType: true }));
}

/** The field a refusal of `e` must name: the request itself is "(body)". */
export function refusedField(f: SchemaField, e: EdgeValue): string {
  return e.field ?? (f.field || '(body)');
}

/** Every field with each of its bad values, as rows for it.each. */
export function badCases<F extends SchemaField = RequestField>(fields: F[] = requestFields() as unknown as F[]) {
  return fields.flatMap((f) => badValues(f).map((e) => ({ ...f, ...e, expected: refusedField(f, e) })));
}

/** Values just outside what the field takes. */
export function badValues(f: SchemaField): EdgeValue[] {
  const s = f.schema;
  switch (f.cls) {
    case 'text': {
      const max = s.maxLength as number;
      return [
        ...BAD_TEXT.map(([what, value, words]) => ({ what, value, words })),
        { what: `${max + 1} letters`, value: 'x'.repeat(max + 1), words: `must be at most ${plural(max, 'character')}` },
        { what: `${max + 1} emoji (characters, not UTF-16 units)`, value: '🍺'.repeat(max + 1), words: `must be at most ${plural(max, 'character')}` },
        ...wrongTypes(f, 'must be a string'),
      ];
    }
    case 'instant':
      return [
        { what: 'a leap second in year 9999', value: '9999-12-31T23:59:60Z', words: INSTANT_WORDS },
        { what: 'year 0', value: '0000-01-01T00:00:00Z', words: INSTANT_WORDS },
        { what: 'the last second of 1999', value: '1999-12-31T23:59:59Z', words: INSTANT_WORDS },
        { what: 'the first second of 2101', value: '2101-01-01T00:00:00Z', words: INSTANT_WORDS },
        { what: 'a leap second', value: '2026-12-31T23:59:60Z', words: INSTANT_WORDS },
        { what: 'no time zone', value: '2026-03-17T18:30:00', words: INSTANT_WORDS },
        { what: 'an offset without minutes', value: '2026-03-17T18:30:00+01', words: INSTANT_WORDS },
        { what: 'a word', value: 'yesterday', words: INSTANT_WORDS },
        { what: 'a day the calendar lacks', value: '2026-02-30T12:00:00Z', words: DATE_TIME_WORDS },
        { what: 'hour 24', value: '2026-03-17T24:00:00Z', words: DATE_TIME_WORDS },
        ...wrongTypes(f, 'must be a string'),
      ];
    case 'uuid':
      return [
        { what: 'not a uuid', value: 'not-a-uuid', words: 'must be a UUID' },
        { what: 'a uuid and more', value: `${randomUUID()}x`, words: 'must be a UUID' },
        { what: 'nothing', value: '', words: 'must be a UUID' },
        ...wrongTypes(f, 'must be a string'),
      ];
    case 'email': {
      const max = s.maxLength as number;
      return [
        { what: 'no @', value: 'nobody', words: 'must be a valid email address' },
        { what: 'a lone surrogate', value: 'some\uD800one@example.ie', words: 'must be a valid email address' },
        { what: `${max + 1} characters`, value: `${'a'.repeat(max - 10)}@example.ie`, words: `must be at most ${plural(max, 'character')}` },
        ...wrongTypes(f, 'must be a string'),
      ];
    }
    case 'document':
      return [
        { what: 'a NUL', value: '<a>\u0000</a>' },
        { what: 'a lone surrogate', value: '<a>\uD800</a>' },
        ...wrongTypes(f, 'must be a string'),
      ];
    case 'token':
      return [
        { what: 'a space', value: 'has space' },
        { what: 'a good value and a lone surrogate', value: `${sampleString(s)}\uD800` },
        ...wrongTypes(f, 'must be a string'),
      ];
    case 'literal':
      return [
        { what: 'an unknown choice', value: 'nonsense' },
        { what: 'nothing', value: '' },
        ...wrongTypes(f, ''),
      ].map(({ what, value, wrongType }) => ({ what, value, wrongType }));
    case 'integer':
    case 'number': {
      const { min, max, above, below } = bounds(s);
      const kind = f.cls === 'integer' ? 'must be a whole number' : 'must be a number';
      const tooLow = above ? `must be more than ${min}` : `must be at least ${min}`;
      const tooHigh = below ? `must be less than ${max}` : `must be at most ${max}`;
      const step = f.cls === 'integer' ? 1 : 0.001;
      const under: EdgeValue[] = [
        ...(above ? [{ what: `${min} itself`, value: min, words: tooLow }] : []),
        { what: `just below ${min}`, value: !above && f.cls === 'number' && min > 0 ? min / 2 : min - step, words: tooLow },
        ...(f.cls === 'number' && !above ? [{ what: min > 0 ? '1e-300' : '-1e-300', value: min > 0 ? 1e-300 : -1e-300, words: tooLow }] : []),
        { what: '-1e308', value: -1e308, words: tooLow },
      ];
      const over: EdgeValue[] = [
        ...(below ? [{ what: `${max} itself`, value: max, words: tooHigh }] : []),
        { what: `just above ${max}`, value: f.cls === 'integer' ? max + 1 : max + 0.5, words: tooHigh },
        { what: '1e308', value: 1e308, words: tooHigh },
      ];
      return [...under, ...over, ...(f.cls === 'integer' ? [{ what: 'a fraction', value: min + 0.5, words: kind }] : []), ...wrongTypes(f, kind)];
    }
    case 'boolean':
      return [{ what: 'the number 1', value: 1, words: 'must be true or false' }, ...wrongTypes(f, 'must be true or false')];
    case 'array': {
      const out: EdgeValue[] = [];
      const item = s.items as Schema;
      const min = (s.minItems as number | undefined) ?? 0;
      const max = s.maxItems as number;
      if (min > 0) out.push({ what: `${min - 1} items`, value: Array.from({ length: min - 1 }, () => sample(item)), words: `must have at least ${plural(min, 'item')}` });
      out.push({ what: `${max + 1} items`, value: Array.from({ length: max + 1 }, () => sample(item)), words: `must have at most ${plural(max, 'item')}` });
      if (s.uniqueItems) {
        const one = sample(item);
        out.push({ what: 'the same item twice', value: Array.from({ length: Math.max(2, min) }, () => one), words: 'must not list the same item twice' });
      }
      return [...out, ...wrongTypes(f, 'must be an array')];
    }
    case 'object': {
      const under = (name: string) => (f.field ? `${f.field}.${name}` : name);
      const good = sample(s) as Record<string, unknown>;
      const missing = ((s.required ?? []) as string[]).map((name) => {
        const { [name]: _gone, ...rest } = good;
        return { what: `no ${name}`, value: rest, field: under(name), words: 'is required' };
      });
      return [
        { what: 'an unknown field', value: { ...good, extra: 1 }, field: under('extra'), words: 'is not an accepted field' },
        { what: 'a misspelt field', value: { ...good, Name: 'x' }, field: under('Name'), words: 'is not an accepted field' },
        ...missing,
        ...wrongTypes(f, 'must be an object'),
      ];
    }
    default:
      return [];
  }
}

/** Values at the edges of what the field takes, which it must take. */
export function goodValues(f: SchemaField): EdgeValue[] {
  const s = f.schema;
  const nullable = f.nullable ? [{ what: 'null', value: null }] : [];
  switch (f.cls) {
    case 'text': {
      const max = s.maxLength as number;
      return [
        { what: `${max} letters`, value: 'x'.repeat(max) },
        { what: `${max} emoji`, value: '🍺'.repeat(max) },
        // In code points, as the schema's maxLength and the database's length() count.
        ...GOOD_TEXT.filter(([, v]) => Array.from(v).length <= max).map(([what, value]) => ({ what, value })),
        ...nullable,
      ];
    }
    case 'instant':
      return [
        { what: 'the first second of 2000', value: '2000-01-01T00:00:00Z' },
        { what: 'the last millisecond of 2100', value: '2100-12-31T23:59:59.999Z' },
        { what: 'an offset', value: '2026-03-17T18:30:00+01:00' },
        { what: 'microseconds', value: '2026-03-17T18:30:00.123456Z' },
        ...nullable,
      ];
    case 'integer':
    case 'number': {
      const { min, max, above, below } = bounds(s);
      const inside = f.cls === 'number' ? [{ what: 'a fraction inside', value: (min + Math.min(max, min + 10)) / 2 + 0.05 }] : [];
      return [
        above ? { what: `just above ${min}`, value: min + 0.5 } : { what: `the least, ${min}`, value: min },
        below ? { what: `just below ${max}`, value: max - 0.5 } : { what: `the most, ${max}`, value: max },
        ...inside,
        ...nullable,
      ];
    }
    case 'boolean':
      return [{ what: 'true', value: true }, { what: 'false', value: false }, ...nullable];
    case 'document':
      return [{ what: 'lines, tabs and an emoji', value: '<a>\r\n\t🍺 &amp;</a>' }, ...nullable];
    case 'literal': {
      const branches = Array.isArray(s.anyOf) ? (s.anyOf as Schema[]).filter((b) => b.type !== 'null') : [s];
      return [...branches.flatMap((b) => (b.const !== undefined ? [b.const] : (b.enum as unknown[]))).map((v) => ({ what: String(v), value: v })), ...nullable];
    }
    case 'array': {
      const max = s.maxItems as number;
      const item = s.items as Schema;
      // Distinct items where the item can be (ids), for a uniqueItems list; else as many as it takes.
      const items = Array.from({ length: max }, () => sample(item));
      const fits = !s.uniqueItems || new Set(items.map((i) => JSON.stringify(i))).size === items.length;
      return fits ? [{ what: `${max} items`, value: items }, ...nullable] : [...nullable];
    }
    default:
      return [{ what: 'a sample', value: sample(s) }, ...nullable];
  }
}
