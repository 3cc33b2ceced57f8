import type { Static } from '@sinclair/typebox';
import { isCodedError } from '@barback/messaging';
import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { startSession } from '../../../services/auth.js';
import { validateForm, type FieldErrors } from '../../../services/forms.js';
import { formValues, submitForm } from '../../../services/pages.js';
import { PASSWORD_MIN_LENGTH } from '../../../services/passwords.js';
import { clearTillCookie, tillDevice } from '../../../services/tills.js';
import { LoginBody, RegisterBody } from '../../api/auth/schemas.js';
import lockPages from './lock.js';
import pinPages from './pin.js';

interface FormState {
  values?: Record<string, string>;
  errors?: FieldErrors;
  /** A message about the whole form (wrong password, broker down). */
  formError?: string | null;
  /** A note above the form: why the person is asked for their password here. */
  notice?: string | null;
}

/**
 * Where a password login may go next (a page that a PIN session was sent
 * away from); anything else goes home, so the parameter cannot send anyone off-site.
 */
const NEXT_PAGES = ['/staff', '/pin', '/password'];
function nextPage(value: unknown): string | null {
  return typeof value === 'string' && NEXT_PAGES.includes(value) ? value : null;
}

/**
 * The till a password login on an enrolled browser is marked with (idle
 * lock; Log out goes back to the PIN screen), confirmed by the worker. A
 * revoked till's cookie is dropped: the browser is an ordinary one again.
 */
async function tillOfBrowser(fastify: FastifyInstance, request: FastifyRequest, reply: FastifyReply) {
  const device = tillDevice(request);
  if (!device) return null;
  try {
    return (await fastify.auth.listTillStaff(request, device)).till;
  } catch (err) {
    if (!isCodedError(err) || err.code !== 'BB_TILL_NOT_ENROLLED') throw err;
    clearTillCookie(reply);
    return null;
  }
}

async function renderForm(reply: FastifyReply, view: 'login' | 'register', status: number, state: FormState) {
  const values = { ...(state.values ?? {}) };
  delete values.password; // never echo a password back into the page
  return reply.code(status).view(view, {
    title: view === 'login' ? 'Log in' : 'Register your bar',
    csrfToken: reply.generateCsrf(),
    values,
    errors: state.errors ?? {},
    formError: state.formError ?? null,
    notice: state.notice ?? null,
    onTill: tillDevice(reply.request) !== null,
    passwordMinLength: PASSWORD_MIN_LENGTH,
    user: null,
  });
}

const authPages: FastifyPluginAsync = async (fastify) => {
  const loggedIn = (request: FastifyRequest) => Boolean(request.session.get('user'));

  /**
   * On an enrolled till the start screen is its PIN screen; `?with=password`
   * (linked from it) asks for the email login instead, and takes a session
   * signed in with a PIN to a password login for staff administration.
   */
  fastify.get<{ Querystring: { with?: string; next?: string; tillRevoked?: string } }>('/login', async (request, reply) => {
    const user = request.session.get('user');
    const withPassword = request.query.with === 'password';
    if (tillDevice(request) && !withPassword && !user) return reply.redirect('/lock', 303);
    if (user && !(user.pin && withPassword)) return reply.redirect('/', 303);
    const next = nextPage(request.query.next);
    const notice = request.query.tillRevoked === '1'
      ? 'This browser is no longer enrolled as a till: log in with your email and password.'
      : user?.pin
        ? 'You are signed in with your PIN. Staff accounts, tills, PINs and passwords need your email and password.'
        : null;
    return renderForm(reply, 'login', 200, { values: { with: withPassword ? 'password' : '', next: next ?? '' }, notice });
  });

  // The CSRF token, and the Origin check as well (login CSRF); one rate-limit count with the API's login.
  fastify.post('/login', { onRequest: fastify.loginRateLimit, preValidation: [fastify.checkOrigin, fastify.checkCsrf] }, async (request, reply) => {
    const values = formValues(request.body, ['email', 'password'], ['password']);
    const extra = formValues(request.body, ['with', 'next']);
    return submitForm(reply, {
      errors: validateForm(LoginBody, values),
      write: async () => {
        const session = await fastify.auth.login(request, values.email ?? '', values.password ?? '').catch((err: unknown) => {
          // A held login is shown on the form, with the wait in Retry-After as the API gives it.
          const retryAfter = (err as { retryAfterSeconds?: unknown }).retryAfterSeconds;
          if (typeof retryAfter === 'number') reply.header('retry-after', String(retryAfter));
          throw err;
        });
        startSession(request, session, { till: await tillOfBrowser(fastify, request, reply) });
        return nextPage(extra.next) ?? '/';
      },
      render: (problem) => renderForm(reply, 'login', problem.status, { ...problem, values: { ...values, ...extra } }),
    });
  });

  fastify.get('/register', async (request, reply) => {
    if (loggedIn(request)) return reply.redirect('/', 303);
    return renderForm(reply, 'register', 200, {});
  });

  fastify.post('/register', { onRequest: fastify.registerRateLimit, preValidation: [fastify.checkOrigin, fastify.checkCsrf] }, async (request, reply) => {
    const values = formValues(request.body, ['venueName', 'name', 'email', 'password'], ['password']);
    return submitForm(reply, {
      // The JSON API's own schema, so the form and the API accept the same (its Password is the one password rule).
      errors: validateForm(RegisterBody, values),
      write: async () => {
        startSession(request, await fastify.auth.register(request, values as Static<typeof RegisterBody>));
        return '/';
      },
      render: (problem) => renderForm(reply, 'register', problem.status, { ...problem, values }),
    });
  });

  // Ends the session on the server too. On a till, logging out locks it: back to its PIN screen, not the email login.
  fastify.post('/logout', { preValidation: fastify.checkCsrf }, async (request, reply) => {
    const onTill = tillDevice(request) !== null;
    await fastify.auth.logout(request, { lock: onTill });
    return reply.redirect(onTill ? '/lock' : '/login', 303);
  });

  await fastify.register(lockPages);
  await fastify.register(pinPages);
};

export default authPages;
