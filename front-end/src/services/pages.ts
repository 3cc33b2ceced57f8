import { isCodedError } from '@barback/messaging';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { toHttpError } from '../plugins/app/error-handler.js';
import { newFormKey, postedFormKey } from './calls.js';
import { formatDateTime, formatEuro, formatTime, safeTimeZone } from './format.js';
import type { FieldErrors } from './forms.js';

/**
 * Refusals the error handler answers with a page or a redirect of its own
 * (change your password first, log in again, managers only) rather than a
 * message on the form that was posted.
 */
const NOT_FOR_THE_FORM = new Set(['BB_PASSWORD_CHANGE_REQUIRED', 'BB_SESSION_INVALID', 'BB_NOT_AUTHENTICATED', 'BB_FORBIDDEN', 'BB_CSRF']);

export interface FormProblem {
  status: number;
  errors: FieldErrors;
  formError: string | null;
}

/**
 * A refusal goes beside the field it names (translated to the form's own
 * field name by `fieldFor`), above the form otherwise. Anything that is not
 * a coded refusal goes up to the error handler.
 */
function formProblem(err: unknown, fieldFor: (apiField: string) => string | null = (f) => f): FormProblem {
  if (!isCodedError(err)) throw err;
  const http = toHttpError(err);
  if (NOT_FOR_THE_FORM.has(http.code)) throw err;
  const field = http.field ? fieldFor(http.field) : null;
  if (field) return { status: http.statusCode, errors: { [field]: http.message }, formError: null };
  return { status: http.statusCode, errors: {}, formError: http.message };
}

/**
 * What every posted form does: the page's own checks first (400, each
 * message beside its field), then the write, then Post/Redirect/Get to the
 * address `write` returns; a refusal from the worker is shown on the same
 * form (see formProblem), anything else goes up to the error handler.
 */
export async function submitForm(
  reply: FastifyReply,
  form: {
    /** What the page's own checks found; the write is not tried while there is any. */
    errors?: FieldErrors;
    write: () => Promise<string>;
    /** Which of the form's fields a refusal naming an API field goes beside (formProblem). */
    fieldFor?: (apiField: string) => string | null;
    /** The page again, with the problem (`formError` is null for the page's own checks). */
    render: (problem: FormProblem) => Promise<FastifyReply>;
  },
): Promise<FastifyReply> {
  if (form.errors && Object.keys(form.errors).length) return form.render({ status: 400, errors: form.errors, formError: null });
  let location: string;
  try {
    location = await form.write();
  } catch (err) {
    return form.render(formProblem(err, form.fieldFor));
  }
  return reply.redirect(location, 303);
}

/** Route options of a page: pages are not part of the JSON API's OpenAPI document. */
export const PAGE = { hide: true } as const;

/** Product categories in the order a bar thinks of them: the till's groups of buttons and the catalogue's sections. */
export const CATEGORY_LABELS: Record<string, string> = {
  draught: 'Draught',
  bottle: 'Bottles',
  spirit: 'Spirits',
  wine: 'Wine',
  soft: 'Soft drinks',
  food: 'Food',
  other: 'Other',
};

/** The helpers every page template uses to show money and times. */
export function displayHelpers(timeZone: string | undefined) {
  const zone = safeTimeZone(timeZone);
  return {
    timeZone: zone,
    euro: formatEuro,
    time: (iso: string) => formatTime(iso, zone),
    dateTime: (iso: string) => formatDateTime(iso, zone),
  };
}

/** What the layout needs on every page: who is logged in, the CSRF token for its forms, and which area is open. */
export async function layoutData(request: FastifyRequest, reply: FastifyReply, nav: string) {
  return { user: request.session.get('user') ?? null, csrfToken: reply.generateCsrf(), nav };
}

/**
 * The idempotency key a re-rendered form carries: the one it was posted with,
 * so that retrying after a timeout cannot apply twice (a refused write left no
 * trace of its key, so the retry of a corrected form goes through), or a new one.
 */
export function keyFor(request: FastifyRequest, posted: boolean): string {
  return (posted ? postedFormKey(request.body) : undefined) ?? newFormKey();
}

/** Form posts carry the CSRF token and the key too: keep only the named fields, trimmed. */
export function formValues(body: unknown, fields: readonly string[], untrimmed: readonly string[] = []): Record<string, string> {
  const source = (body ?? {}) as Record<string, unknown>;
  const out: Record<string, string> = {};
  for (const f of fields) {
    const v = source[f];
    if (typeof v === 'string') out[f] = untrimmed.includes(f) ? v : v.trim();
  }
  return out;
}
