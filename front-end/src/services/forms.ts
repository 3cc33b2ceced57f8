import type { TSchema } from '@sinclair/typebox';
import { createAjv, describeSchemaErrors, type ValidateFunction } from '@barback/messaging';

const ajv = createAjv({ allErrors: true });
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
  const all = validate.errors ?? [];
  for (const [i, e] of all.entries()) {
    // A form posts more than its schema knows (the CSRF token): not the person's problem.
    if (e.keyword === 'additionalProperties') continue;
    // From this error on, so that a choice between literals reads as one problem.
    const { field, message } = describeSchemaErrors(all.slice(i), (f) => LABELS[f] ?? f);
    if (errors[field]) continue;
    // On a page, an example says more than "valid".
    const email = e.keyword === 'format' && (e.params as { format?: unknown }).format === 'email';
    errors[field] = email ? 'Enter an email address like name@example.com.' : `${message}.`;
  }
  return errors;
}
