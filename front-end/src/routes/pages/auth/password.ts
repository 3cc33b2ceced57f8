import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { formWriteOptions } from '../../../services/calls.js';
import type { FieldErrors } from '../../../services/forms.js';
import { PAGE, formValues, keyFor, layoutData, submitForm } from '../../../services/pages.js';
import { changePassword } from '../../../services/password-change.js';
import { PASSWORD_MIN_LENGTH, passwordProblem } from '../../../services/passwords.js';

const FIELDS = ['currentPassword', 'newPassword'] as const;

function checkForm(values: Record<string, string>): FieldErrors {
  const errors: FieldErrors = {};
  if (!values.currentPassword) errors.currentPassword = 'Enter your current password.';
  const problem = passwordProblem(values.newPassword ?? '', 'The new password');
  if (problem) errors.newPassword = problem;
  return errors;
}

/** Change your own password; where a new account is sent until it has replaced its initial one. */
const passwordPages: FastifyPluginAsync = async (fastify) => {
  const render = async (
    request: FastifyRequest,
    reply: FastifyReply,
    state: { status: number; errors?: FieldErrors; formError?: string | null; posted?: boolean; signedOut?: number | null },
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
      passwordMinLength: PASSWORD_MIN_LENGTH,
      idempotencyKey: keyFor(request, state.posted ?? false),
      signedOut: state.signedOut ?? null,
    });
  };

  // Signed in with a PIN: a password is changed only after logging in with it.
  const pages = [fastify.requireUserPage, fastify.requirePasswordPage];

  fastify.get<{ Querystring: { signedOut?: number } }>(
    '/password',
    { schema: { ...PAGE, querystring: Type.Object({ signedOut: Type.Optional(Type.Integer({ minimum: 0, maximum: 100_000 })) }) }, preValidation: pages },
    async (request, reply) => render(request, reply, { status: 200, signedOut: request.query.signedOut ?? null }),
  );

  // "Sign out everywhere else": every other session of the person ends; this one stays.
  fastify.post('/password/sign-out-everywhere', { schema: PAGE, preValidation: [fastify.checkCsrf, ...pages] }, async (request, reply) => {
    const { sessionsEnded } = await fastify.auth.signOutEverywhere(request, formWriteOptions(request));
    return reply.redirect(`/password?signedOut=${String(sessionsEnded)}`, 303);
  });

  fastify.post(
    '/password',
    { schema: PAGE, preValidation: [fastify.checkCsrf, ...pages], config: fastify.authRateLimit },
    async (request, reply) => {
      const values = formValues(request.body, FIELDS, FIELDS);
      return submitForm(reply, {
        errors: checkForm(values),
        write: async () => {
          const input = { currentPassword: values.currentPassword ?? '', newPassword: values.newPassword ?? '' };
          await changePassword(fastify.rpc, fastify.passwords, request, input, formWriteOptions(request));
          return '/?passwordChanged=1';
        },
        render: (problem) => render(request, reply, { ...problem, posted: true }),
      });
    },
  );
};

export default passwordPages;
