import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { formWriteOptions } from '../../../services/calls.js';
import type { FieldErrors } from '../../../services/forms.js';
import { PAGE, formProblem, formValues, keyFor, layoutData } from '../../../services/pages.js';
import { changePassword } from '../../../services/password-change.js';

const FIELDS = ['currentPassword', 'newPassword'] as const;

function checkForm(values: Record<string, string>): FieldErrors {
  const errors: FieldErrors = {};
  if (!values.currentPassword) errors.currentPassword = 'Enter your current password.';
  const next = values.newPassword ?? '';
  if (next.length < 10) errors.newPassword = 'The new password must be at least 10 characters.';
  else if (next.length > 200) errors.newPassword = 'The new password must be at most 200 characters.';
  return errors;
}

/** Change your own password; where a new account is sent until it has replaced its initial one. */
const passwordPages: FastifyPluginAsync = async (fastify) => {
  const render = async (
    request: FastifyRequest,
    reply: FastifyReply,
    state: { status: number; errors?: FieldErrors; formError?: string | null; posted?: boolean },
  ) => {
    const session = await fastify.auth.me(request);
    return reply.code(state.status).view('password', {
      ...(await layoutData(request, reply, 'password')),
      title: 'Change password',
      mustChange: session.staff.mustChangePassword,
      // Passwords are never echoed back into the page.
      values: {},
      errors: state.errors ?? {},
      formError: state.formError ?? null,
      idempotencyKey: keyFor(request, state.posted ?? false),
    });
  };

  fastify.get('/password', { schema: PAGE, preValidation: fastify.requireUserPage }, async (request, reply) => render(request, reply, { status: 200 }));

  fastify.post(
    '/password',
    {
      schema: PAGE,
      preValidation: [fastify.csrfProtection, fastify.requireUserPage],
      config: { rateLimit: { max: fastify.config.authRateLimitPerMinute, timeWindow: '1 minute' } },
    },
    async (request, reply) => {
      const values = formValues(request.body, FIELDS, FIELDS);
      const errors = checkForm(values);
      if (Object.keys(errors).length) return render(request, reply, { status: 400, errors, posted: true });
      try {
        await changePassword(
          fastify.rpc,
          fastify.passwords,
          request,
          { currentPassword: values.currentPassword!, newPassword: values.newPassword! },
          formWriteOptions(request),
        );
        return reply.redirect('/?passwordChanged=1', 303);
      } catch (err) {
        const problem = formProblem(err);
        return render(request, reply, { ...problem, posted: true });
      }
    },
  );
};

export default passwordPages;
