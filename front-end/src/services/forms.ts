import type { TSchema } from '@sinclair/typebox';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';

const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (a: Ajv) => void;
const ajv = new Ajv({ allErrors: true, strict: false });
addFormats(ajv);
const cache = new WeakMap<TSchema, ValidateFunction>();

export type FieldErrors = Record<string, string>;

const LABELS: Record<string, string> = {
  venueName: 'Venue name',
  name: 'Your name',
  email: 'Email',
  password: 'Password',
};

/**
 * Checks a submitted form against the same schema the JSON API uses and
 * returns one plain message per field, to show next to that field.
 */
export function validateForm(schema: TSchema, values: Record<string, unknown>): FieldErrors {
  let validate = cache.get(schema);
  if (!validate) {
    validate = ajv.compile(schema);
    cache.set(schema, validate);
  }
  if (validate(values)) return {};
  const errors: FieldErrors = {};
  for (const e of validate.errors ?? []) {
    const params = e.params as Record<string, unknown>;
    if (e.keyword === 'additionalProperties') continue;
    const field = params.missingProperty ? String(params.missingProperty) : e.instancePath.replace(/^\//, '');
    if (errors[field]) continue;
    const label = LABELS[field] ?? field;
    if (e.keyword === 'required' || (e.keyword === 'minLength' && params.limit === 1)) errors[field] = `${label} is required.`;
    else if (e.keyword === 'format' && params.format === 'email') errors[field] = 'Enter an email address like name@example.com.';
    else if (e.keyword === 'minLength') errors[field] = `${label} must be at least ${String(params.limit)} characters.`;
    else if (e.keyword === 'maxLength') errors[field] = `${label} must be at most ${String(params.limit)} characters.`;
    else errors[field] = `${label} is not valid.`;
  }
  return errors;
}
