import type { Static } from '@sinclair/typebox';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { endSession, startSession } from '../../../services/auth.js';
import { validateForm, type FieldErrors } from '../../../services/forms.js';
import { formValues, submitForm } from '../../../services/pages.js';
import { PASSWORD_MIN_LENGTH } from '../../../services/passwords.js';
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
    passwordMinLength: PASSWORD_MIN_LENGTH,
    user: null,
  });
}

const authPages: FastifyPluginAsync = async (fastify) => {
  const loggedIn = (request: FastifyRequest) => Boolean(request.session.get('user'));

  fastify.get('/login', async (request, reply) => {
    if (loggedIn(request)) return reply.redirect('/', 303);
    return renderForm(reply, 'login', 200, {});
  });

  fastify.post('/login', { preValidation: fastify.csrfProtection, config: fastify.authRateLimit }, async (request, reply) => {
    const values = formValues(request.body, ['email', 'password'], ['password']);
    return submitForm(reply, {
      errors: validateForm(LoginBody, values),
      write: async () => {
        startSession(request, await fastify.auth.login(request, values.email!, values.password!));
        return '/';
      },
      render: (problem) => renderForm(reply, 'login', problem.status, { ...problem, values }),
    });
  });

  fastify.get('/register', async (request, reply) => {
    if (loggedIn(request)) return reply.redirect('/', 303);
    return renderForm(reply, 'register', 200, {});
  });

  fastify.post('/register', { preValidation: fastify.csrfProtection, config: fastify.authRateLimit }, async (request, reply) => {
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

  fastify.post('/logout', { preValidation: fastify.csrfProtection }, async (request, reply) => {
    endSession(request);
    return reply.redirect('/login', 303);
  });
};

export default authPages;
