import { describeSchemaErrors, isCodedError } from '@barback/messaging';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';

export interface HttpError {
  statusCode: number;
  code: string;
  message: string;
  field?: string;
  /** Sent as Retry-After with a 429 (a held login). */
  retryAfterSeconds?: number;
}

/**
 * Our codes for what Fastify itself refuses before a route runs, so every
 * error a client sees has a BB_ code (the FST_ ones are Fastify's internals).
 */
const FRAMEWORK_CODES: Record<number, string> = {
  400: 'BB_BAD_REQUEST',
  404: 'BB_NOT_FOUND',
  405: 'BB_METHOD_NOT_ALLOWED',
  413: 'BB_BODY_TOO_LARGE',
  414: 'BB_URI_TOO_LONG',
  415: 'BB_UNSUPPORTED_MEDIA_TYPE',
  431: 'BB_HEADERS_TOO_LARGE',
};

/** Turns any thrown error into the status, code and message a user is shown. */
export function toHttpError(err: FastifyError | Error): HttpError {
  const e = err as FastifyError & { field?: string };
  if (e.validation && e.validation.length) {
    // Fastify's own check of a route's schema: the same words as the worker's contract check.
    const { field, message } = describeSchemaErrors(e.validation);
    return { statusCode: 400, code: 'BB_VALIDATION', message, field };
  }
  if (e.code === 'FST_CSRF_MISSING_SECRET' || e.code === 'FST_CSRF_INVALID_TOKEN') {
    return {
      statusCode: 403,
      code: 'BB_CSRF',
      message: 'Missing or invalid CSRF token. Forms: reload the page and try again. API: send the csrfToken from register/login in the x-csrf-token header.',
    };
  }
  if (isCodedError(e)) {
    const out: HttpError = { statusCode: e.statusCode ?? 500, code: e.code, message: e.message };
    if (e.field) out.field = e.field;
    const retryAfter = (e as { retryAfterSeconds?: unknown }).retryAfterSeconds;
    if (typeof retryAfter === 'number') out.retryAfterSeconds = retryAfter;
    return out;
  }
  const statusCode = (err as { statusCode?: unknown }).statusCode;
  const code = (err as { code?: string }).code;
  if (statusCode === 429) return { statusCode: 429, code: 'BB_RATE_LIMITED', message: 'Too many requests from this address. Wait a minute and try again.' };
  if (typeof statusCode === 'number' && statusCode >= 400 && statusCode < 500) {
    return { statusCode, code: code?.startsWith('BB_') ? code : (FRAMEWORK_CODES[statusCode] ?? 'BB_BAD_REQUEST'), message: err.message };
  }
  return { statusCode: 500, code: 'BB_INTERNAL', message: 'Something went wrong on our side. It has been logged; please try again.' };
}

export function isApiRequest(request: FastifyRequest): boolean {
  return request.url.startsWith('/api/');
}

const PAGE_TITLES: Record<number, string> = { 403: 'Not allowed', 404: 'Not found' };

export async function sendError(request: FastifyRequest, reply: FastifyReply, err: HttpError) {
  // Whatever the typings say: an app built without @fastify/view has no
  // reply.view() (JSON then), and a request that failed before the session
  // plugin's onRequest hook ran has no session.
  const canRender = (reply as Partial<Pick<FastifyReply, 'view'>>).view !== undefined;
  const session = request.session as FastifyRequest['session'] | undefined;
  if (err.retryAfterSeconds !== undefined) reply.header('retry-after', String(err.retryAfterSeconds));
  if (isApiRequest(request) || !canRender) {
    const error: Record<string, string> = { code: err.code, message: err.message };
    if (err.field) error.field = err.field;
    return reply.code(err.statusCode).type('application/json').send({ error });
  }
  // A page cannot do anything else until the initial password is changed: take the person there.
  if (err.code === 'BB_PASSWORD_CHANGE_REQUIRED') return reply.redirect('/password', 303);
  // Disabled or removed since the cookie was issued: the cookie alone is not enough.
  if (err.code === 'BB_SESSION_INVALID' || err.code === 'BB_NOT_AUTHENTICATED') {
    session?.delete();
    return reply.redirect('/login', 303);
  }
  const user = session?.get('user') ?? null;
  let csrfToken = '';
  try {
    if (user) csrfToken = reply.generateCsrf();
  } catch {
    // The logout button on an error page is a nicety; the error itself must still be shown.
  }
  return reply
    .code(err.statusCode)
    .view('error', { title: PAGE_TITLES[err.statusCode] ?? 'Something went wrong', error: err, user, csrfToken, nav: '' });
}

export default fp(async (fastify) => {
  fastify.setErrorHandler(async (err, request, reply) => {
    const http = toHttpError(err as Error);
    if (http.statusCode >= 500) request.log.error({ err }, 'request failed');
    else request.log.info({ code: http.code, statusCode: http.statusCode }, http.message);
    return sendError(request, reply, http);
  });
  fastify.setNotFoundHandler(async (request, reply) =>
    sendError(request, reply, { statusCode: 404, code: 'BB_NOT_FOUND', message: `Nothing at ${request.method} ${request.url.split('?')[0]}.` }),
  );
}, { name: 'error-handler' });

/**
 * Fastify's `frameworkErrors` (build.ts): what its router refuses before any
 * route, hook or plugin runs (a path segment longer than maxParamLength, 414;
 * a malformed URL, 400), answered in the one error shape like every other
 * error, with the headers a hook would otherwise have added. The path is not
 * echoed: it is what was wrong, and may be very long.
 */
export function frameworkError(err: FastifyError, _request: FastifyRequest, reply: FastifyReply): void {
  const statusCode = err.statusCode === 414 ? 414 : 400;
  const message = statusCode === 414 ? 'The address is too long.' : 'The address is not valid.';
  void reply
    .code(statusCode)
    .header('cache-control', 'no-store')
    .header('x-content-type-options', 'nosniff')
    .type('application/json; charset=utf-8')
    .send({ error: { code: FRAMEWORK_CODES[statusCode] ?? 'BB_BAD_REQUEST', message } });
}
