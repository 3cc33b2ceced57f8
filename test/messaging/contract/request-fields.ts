/**
 * Walks every request schema of the contract: finds its string fields (nested
 * objects and arrays included) and makes a request that passes, to put one
 * bad value into. Shared by the unit test (validateRequest) and the broker
 * test (RpcClient.call) of free text.
 */
import { randomUUID } from 'node:crypto';
import { PATTERN_WORDS, TEXT_PATTERNS, actions, type ActionName } from '@barback/messaging';

type Schema = Record<string, unknown>;
type Path = Array<string | number>;

export interface StringField {
  action: ActionName;
  /** As the validation names it: servings.0.name. */
  field: string;
  path: Path;
  schema: Schema;
}

export const actionNames = Object.keys(actions) as ActionName[];

function* strings(schema: Schema, path: Path): Generator<{ path: Path; schema: Schema }> {
  for (const key of ['anyOf', 'allOf', 'oneOf'] as const) {
    const branches = schema[key];
    if (Array.isArray(branches)) for (const branch of branches as Schema[]) yield* strings(branch, path);
  }
  if (schema.type === 'object' && schema.properties) {
    for (const [name, property] of Object.entries(schema.properties as Record<string, Schema>)) yield* strings(property, [...path, name]);
  }
  if (schema.type === 'array' && schema.items) yield* strings(schema.items as Schema, [...path, 0]);
  if (schema.type === 'string') yield { path, schema };
}

/** Every string field of every request schema. */
export function requestStringFields(): StringField[] {
  return actionNames.flatMap((action) =>
    [...strings(actions[action].request as unknown as Schema, [])].map(({ path, schema }) => ({ action, field: path.join('.'), path, schema })),
  );
}

export const isText = (schema: Schema) => schema.pattern === TEXT_PATTERNS.line;

/**
 * What a string field of a request may be: free text (Text), a format the
 * validator checks, a choice of literals, or a token its pattern pins down.
 * Anything else (a plain Type.String()) is free text nothing checks.
 */
export function stringKind(schema: Schema): 'text' | 'format' | 'literal' | 'token' | null {
  if (isText(schema)) return 'text';
  if (['uuid', 'email', 'date-time'].includes(schema.format as string)) return 'format';
  if (schema.const !== undefined || Array.isArray(schema.enum)) return 'literal';
  if (typeof schema.pattern === 'string') return 'token';
  return null;
}

export const TEXT_WORDS = PATTERN_WORDS[TEXT_PATTERNS.line]!;

// Any argon2id-shaped string will do: the contract only checks the prefix.
const HASH = '$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA';
/** Values for patterned strings, tried in order until one fits. */
const TOKENS = ['Ok', HASH, 'abc_DEF-123', '0/16B3748', /* a till key's SHA-256, base64url */ 'n4bQgYhMfWWaL-qgxVrQFaO_TxsrC4Is0V1sFbDwCgg'];

function sampleString(schema: Schema): string {
  if (schema.const !== undefined) return schema.const as string;
  if (Array.isArray(schema.enum)) return schema.enum[0] as string;
  switch (schema.format) {
    case 'uuid':
      return randomUUID();
    case 'email':
      return 'someone@example.ie';
    case 'date-time':
      return new Date().toISOString();
  }
  if (typeof schema.pattern !== 'string') return 'Ok';
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

/** `request` with the value at `path` replaced. */
export function withValue(request: Record<string, unknown>, path: Path, value: unknown): Record<string, unknown> {
  const copy = structuredClone(request);
  let node = copy as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  node[path[path.length - 1]!] = value;
  return copy;
}

/** Values no Text field may take: control characters of each kind, and nothing visible. */
export const BAD_TEXT: ReadonlyArray<[string, string]> = [
  ['a NUL', 'The Stag\u0000'],
  ['a bell (C0)', 'The\u0007Stag'],
  ['a CSI (C1)', 'The\u009bStag'],
  ['a DEL', 'The Stag\u007f'],
  ['a tab', 'The\tStag'],
  ['a newline', 'The Stag\nBar'],
  ['only spaces', '   '],
];
