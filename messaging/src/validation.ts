import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import fastJson from 'fast-json-stringify';
import { actions, type ActionName, type ReplyOf } from './contract/index.js';
import { RequestEnvelope } from './envelope.js';

// ajv-formats is CommonJS with a default export; under NodeNext ESM it arrives wrapped.
const addFormats = (addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule;

const ajv = new Ajv({ allErrors: false, strict: false, coerceTypes: false });
(addFormats as unknown as (a: Ajv) => void)(ajv);

export interface SchemaProblem {
  field: string;
  message: string;
}

function describe(error: ErrorObject | undefined): SchemaProblem {
  if (!error) return { field: '', message: 'is invalid' };
  const path = error.instancePath.replace(/^\//, '').replace(/\//g, '.');
  if (error.keyword === 'required') {
    const missing = String((error.params as { missingProperty: string }).missingProperty);
    const field = path ? `${path}.${missing}` : missing;
    return { field, message: `${field} is required` };
  }
  if (error.keyword === 'additionalProperties') {
    const extra = String((error.params as { additionalProperty: string }).additionalProperty);
    return { field: extra, message: `${extra} is not an accepted field` };
  }
  const field = path || '(body)';
  return { field, message: `${field} ${error.message ?? 'is invalid'}` };
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
  return fn(value) ? null : describe(fn.errors?.[0]);
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
    if (result.action !== action) throw new Error(`a ${result.action} reply cannot answer ${action}`);
    return result.json;
  }
  let serialize = serializers.get(action);
  if (!serialize) {
    serialize = fastJson(actions[action].reply as object) as Serializer;
    serializers.set(action, serialize);
  }
  return serialize(result);
}
