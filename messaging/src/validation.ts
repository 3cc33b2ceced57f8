import { Ajv, type ErrorObject, type Options, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import fastJson from 'fast-json-stringify';
import { PATTERN_WORDS, actions, type ActionName, type ReplyOf } from './contract/index.js';
import { RequestEnvelope } from './envelope.js';
import { PermanentError } from './errors.js';

export type { ValidateFunction } from 'ajv';

// ajv-formats is CommonJS with a default export; under NodeNext ESM it arrives wrapped.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (ajv: Ajv) => Ajv;

/** An ajv that knows the contract's formats (uuid, email, date-time): the one way to make one. */
export function createAjv(options: Options = {}): Ajv {
  return addFormats(new Ajv({ strict: false, ...options }));
}

const ajv = createAjv({ allErrors: false, coerceTypes: false });

export interface SchemaProblem {
  field: string;
  message: string;
}

/** What ajv and Fastify's validation both report about one failed keyword. */
export type SchemaError = Pick<ErrorObject, 'keyword' | 'instancePath' | 'params' | 'message'>;

const TYPE_WORDS: Readonly<Record<string, string>> = {
  string: 'a string',
  integer: 'a whole number',
  number: 'a number',
  boolean: 'true or false',
  object: 'an object',
  array: 'an array',
  null: 'null',
};

const FORMAT_WORDS: Readonly<Record<string, string>> = {
  email: 'must be a valid email address',
  uuid: 'must be a UUID',
  'date-time': 'must be a date and time with its time zone, such as 2026-03-17T18:30:00Z',
  date: 'must be a date, such as 2026-03-17',
};

const quote = (value: unknown) => (typeof value === 'string' ? value : JSON.stringify(value));
const plural = (n: unknown, one: string) => `${String(n)} ${one}${n === 1 ? '' : 's'}`;

/** The words after the field's name, for one failed keyword. */
function words(error: SchemaError): string {
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'format':
      return FORMAT_WORDS[String(params.format)] ?? `must be in the ${String(params.format)} format`;
    case 'pattern':
      return PATTERN_WORDS[String(params.pattern)] ?? `must match the pattern ${String(params.pattern)}`;
    case 'minLength':
      // An empty string where text is needed: to a person filling a form, that field is simply missing.
      return params.limit === 1 ? 'is required' : `must be at least ${plural(params.limit, 'character')}`;
    case 'maxLength':
      return `must be at most ${plural(params.limit, 'character')}`;
    case 'minItems':
      return `must have at least ${plural(params.limit, 'item')}`;
    case 'maxItems':
      return `must have at most ${plural(params.limit, 'item')}`;
    case 'uniqueItems':
      return 'must not list the same item twice';
    case 'minimum':
      return `must be at least ${String(params.limit)}`;
    case 'maximum':
      return `must be at most ${String(params.limit)}`;
    case 'exclusiveMinimum':
      return `must be more than ${String(params.limit)}`;
    case 'exclusiveMaximum':
      return `must be less than ${String(params.limit)}`;
    case 'multipleOf':
      return `must be a multiple of ${String(params.multipleOf)}`;
    case 'type': {
      const types = String(params.type).split(',');
      return `must be ${types.map((t) => TYPE_WORDS[t] ?? t).join(' or ')}`;
    }
    case 'enum':
      return `must be one of: ${(params.allowedValues as unknown[]).map(quote).join(', ')}`;
    case 'const':
      return `must be ${quote(params.allowedValue)}`;
    default:
      return error.message ?? 'is invalid';
  }
}

/**
 * One schema failure as the field at fault and a sentence a caller can act
 * on: the same words from the worker's contract check, the API's route
 * validation and the pages' forms. Nested fields are named by their whole
 * path (servings.0.name), so a form can put the message beside the right
 * input. `label` names the field in the sentence (a form's "Venue name").
 */
export function describeSchemaProblem(error: SchemaError | undefined, label: (field: string) => string = (f) => f): SchemaProblem {
  if (!error) return { field: '', message: 'The request is invalid' };
  const path = error.instancePath.replace(/^\//, '').replace(/\//g, '.');
  const params = error.params as Record<string, unknown>;
  const under = (name: unknown) => (path ? `${path}.${String(name)}` : String(name));
  if (error.keyword === 'required') {
    const field = under(params.missingProperty);
    return { field, message: `${label(field)} is required` };
  }
  if (error.keyword === 'additionalProperties') {
    const field = under(params.additionalProperty);
    return { field, message: `${label(field)} is not an accepted field` };
  }
  const field = path || '(body)';
  return { field, message: `${label(field)} ${words(error)}` };
}

/**
 * The problem to report among all ajv found. A choice between literals
 * (TypeBox's Union of Literal, as Role or Category) fails as one `const` per
 * literal and then `anyOf`: that is one problem, "must be one of: ...".
 */
export function describeSchemaErrors(
  errors: readonly SchemaError[] | null | undefined,
  label?: (field: string) => string,
): SchemaProblem {
  const first = errors?.[0];
  if (first?.keyword === 'const' && errors) {
    const allowed: unknown[] = [];
    for (const e of errors) {
      if (e.instancePath !== first.instancePath) break;
      if (e.keyword === 'const') allowed.push((e.params as { allowedValue: unknown }).allowedValue);
      else if (e.keyword === 'anyOf' && allowed.length > 1) {
        return describeSchemaProblem({ ...first, keyword: 'enum', params: { allowedValues: allowed } }, label);
      } else break;
    }
  }
  return describeSchemaProblem(first, label);
}

type JsonSchema = Record<string, unknown>;

function isSchema(value: unknown): value is JsonSchema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * A copy of `schema` in which every object that lists its properties and says
 * nothing of others refuses others (additionalProperties: false), however
 * deep: an unknown field in a request is a caller's mistake (a misspelt
 * optional field, dropped in silence, would leave the caller believing it was
 * saved), so it is refused with its name. Objects that say what else they take (patternProperties,
 * additionalProperties, unevaluatedProperties) are left as they are, and so are
 * the members of an allOf, which each see only part of the object. The
 * contract's own request schemas already close every object; this is for
 * the schemas the front end writes around them.
 */
export function closedObjects<T>(schema: T): T {
  // Keywords whose values are data, not schemas: copied as they are.
  const VALUE_KEYWORDS = new Set(['const', 'enum', 'default', 'examples', 'required']);
  const close = (node: unknown, inAllOf: boolean): unknown => {
    if (Array.isArray(node)) return node.map((item) => close(item, false));
    if (!isSchema(node)) return node;
    const copy: JsonSchema = {};
    for (const [key, value] of Object.entries(node)) {
      if (VALUE_KEYWORDS.has(key)) copy[key] = value;
      else if (key === 'allOf' && Array.isArray(value)) copy[key] = value.map((member) => close(member, true));
      else if (key === 'properties' && isSchema(value)) {
        // Property names are not keywords: close each property's schema, not the map.
        copy[key] = Object.fromEntries(Object.entries(value).map(([name, property]) => [name, close(property, false)]));
      } else copy[key] = close(value, false);
    }
    const open = !('additionalProperties' in copy || 'patternProperties' in copy || 'unevaluatedProperties' in copy);
    if (!inAllOf && open && isSchema(copy.properties) && (copy.type === undefined || copy.type === 'object')) {
      copy.additionalProperties = false;
    }
    return copy;
  };
  return close(schema, false) as T;
}

const compiled = new Map<string, ValidateFunction>();
function compile(key: string, schema: object): ValidateFunction {
  let fn = compiled.get(key);
  if (!fn) {
    fn = ajv.compile(schema);
    compiled.set(key, fn);
  }
  return fn;
}

/** Returns the first problem, or null when the value fits the schema. */
function check(key: string, schema: object, value: unknown): SchemaProblem | null {
  const fn = compile(key, schema);
  return fn(value) ? null : describeSchemaErrors(fn.errors);
}

export const validateEnvelope = (value: unknown) => check('envelope', RequestEnvelope, value);
export const validateRequest = (action: ActionName, payload: unknown) =>
  check(`req:${action}`, actions[action].request, payload);
export const validateReply = (action: ActionName, result: unknown) =>
  check(`rep:${action}`, actions[action].reply, result);

type Serializer = (value: unknown) => string;
const serializers = new Map<ActionName, Serializer>();

/**
 * A reply already written by the contract, for a handler that keeps replies
 * (the catalogue a worker keeps): made only through `of`, which runs the
 * serialiser, and sent as it is.
 */
export class SerializedReply<A extends ActionName = ActionName> {
  private constructor(
    readonly action: A,
    readonly json: string,
  ) {}

  static of<A extends ActionName>(action: A, result: ReplyOf<A>): SerializedReply<A> {
    return new SerializedReply(action, serializeReply(action, result));
  }
}

/**
 * A reply's JSON, written by the action's reply schema (fast-json-stringify,
 * as Fastify does for response schemas): only the contract's fields go out,
 * whatever else a row carried, and a missing required field throws instead of
 * reaching a caller. Formats (uuid, date-time) are not checked again: they
 * come from Postgres. About a third of the cost of a full check plus JSON.stringify
 * on a 60-product catalogue (49 against 133 µs).
 */
export function serializeReply(action: ActionName, result: unknown): string {
  if (result instanceof SerializedReply) {
    if (result.action !== action) throw new PermanentError(`a ${result.action} reply cannot answer ${action}`);
    return result.json;
  }
  let serialize = serializers.get(action);
  if (!serialize) {
    serialize = fastJson(actions[action].reply as object) as Serializer;
    serializers.set(action, serialize);
  }
  try {
    return serialize(result);
  } catch (err) {
    // The same rows would break the contract the same way on every delivery.
    throw new PermanentError(`the ${action} reply breaks the contract: ${(err as Error).message}`, { cause: err });
  }
}
