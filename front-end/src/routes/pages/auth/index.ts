import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { endSession, startSession } from '../../../services/auth.js';
import { validateForm, type FieldErrors } from '../../../services/forms.js';
import { formProblem, formValues } from '../../../services/pages.js';
import { LoginBody, RegisterBody } from '../../api/auth/schemas.js';

interface FormState {
  values?: Record<string, string>;
  errors?: FieldErrors;
  /** A message about the whole form (wrong password, broker down). */
  formError?: string | null;
}

async function renderForm(reply: FastifyReply, view: 'login' | 'register', status: number, state: FormState) {
  const values = { ...(state.values ?? {}) };
  delete values.password; // never echo a password back into the page
  return reply.code(status).view(view, {
    title: view === 'login' ? 'Log in' : 'Register your bar',
    csrfToken: await reply.generateCsrf(),
    values,
    errors: state.errors ?? {},
    formError: state.formError ?? null,
    user: null,
  });
}

const authPages: FastifyPluginAsync = async (fastify) => {
  const limit = { rateLimit: { max: fastify.config.authRateLimitPerMinute, timeWindow: '1 minute' } };
  const loggedIn = (request: FastifyRequest) => Boolean(request.session.get('user'));

  fastify.get('/login', async (request, reply) => {
    if (loggedIn(request)) return reply.redirect('/', 303);
    return renderForm(reply, 'login', 200, {});
  });

  fastify.post('/login', { preValidation: fastify.csrfProtection, config: limit }, async (request, reply) => {
    const values = formValues(request.body, ['email', 'password'], ['password']);
    const errors = validateForm(LoginBody, values);
    if (Object.keys(errors).length) return renderForm(reply, 'login', 400, { values, errors });
    try {
      startSession(request, await fastify.auth.login(request, values.email!, values.password!));
      return reply.redirect('/', 303);
    } catch (err) {
      const { status, errors, formError } = formProblem(err);
      return renderForm(reply, 'login', status, { values, errors, formError });
    }
  });

  fastify.get('/register', async (request, reply) => {
    if (loggedIn(request)) return reply.redirect('/', 303);
    return renderForm(reply, 'register', 200, {});
  });

  fastify.post('/register', { preValidation: fastify.csrfProtection, config: limit }, async (request, reply) => {
    const values = formValues(request.body, ['venueName', 'name', 'email', 'password'], ['password']);
    const errors = validateForm(RegisterBody, values);
    if (Object.keys(errors).length) return renderForm(reply, 'register', 400, { values, errors });
    try {
      const session = await fastify.auth.register(request, values as { venueName: string; name: string; email: string; password: string });
      startSession(request, session);
      return reply.redirect('/', 303);
    } catch (err) {
      const { status, errors, formError } = formProblem(err);
      return renderForm(reply, 'register', status, { values, errors, formError });
    }
  });

  fastify.post('/logout', { preValidation: fastify.csrfProtection }, async (request, reply) => {
    endSession(request);
    return reply.redirect('/login', 303);
  });
};

export default authPages;
