import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { formWriteOptions } from '../../../services/calls.js';
import type { FieldErrors } from '../../../services/forms.js';
import { PAGE, formValues, keyFor, layoutData, submitForm } from '../../../services/pages.js';
import { pinProblem, setOwnPin } from '../../../services/tills.js';

const FIELDS = ['currentPassword', 'pin', 'pinRepeat'] as const;

function checkForm(values: Record<string, string>): FieldErrors {
  const errors: FieldErrors = {};
  if (!values.currentPassword) errors.currentPassword = 'Enter your current password.';
  const problem = pinProblem(values.pin ?? '');
  if (problem) errors.pin = problem;
  else if (values.pinRepeat !== values.pin) errors.pinRepeat = 'The two PINs are not the same.';
  return errors;
}

/**
 * Your own PIN for the venue's tills. Like a password change, it needs your
 * current password, and a session signed in with a PIN is sent to log in
 * with email and password first.
 */
const pinPages: FastifyPluginAsync = async (fastify) => {
  const render = async (
    request: FastifyRequest,
    reply: FastifyReply,
    state: { status: number; errors?: FieldErrors; formError?: string | null; posted?: boolean; saved?: boolean },
  ) =>
    reply.code(state.status).view('pin', {
      ...(await layoutData(request, reply, 'pin')),
      title: 'PIN for the till',
      // PINs and passwords are never echoed back into the page.
      values: {},
      errors: state.errors ?? {},
      formError: state.formError ?? null,
      saved: state.saved ?? false,
      idempotencyKey: keyFor(request, state.posted ?? false),
    });

  const pages = [fastify.requireUserPage, fastify.requirePasswordPage];

  fastify.get<{ Querystring: { saved?: string } }>('/pin', { schema: PAGE, preValidation: pages }, async (request, reply) =>
    render(request, reply, { status: 200, saved: request.query.saved === '1' }),
  );

  fastify.post(
    '/pin',
    { schema: PAGE, preValidation: [fastify.checkCsrf, ...pages], config: fastify.authRateLimit },
    async (request, reply) => {
      const values = formValues(request.body, FIELDS, FIELDS);
      return submitForm(reply, {
        errors: checkForm(values),
        write: async () => {
          const input = { currentPassword: values.currentPassword ?? '', pin: values.pin ?? '' };
          await setOwnPin(fastify.rpc, fastify.passwords, request, input, formWriteOptions(request));
          return '/pin?saved=1';
        },
        fieldFor: (f) => (f === 'pinHash' ? 'pin' : (FIELDS as readonly string[]).includes(f) ? f : null),
        render: (problem) => render(request, reply, { ...problem, posted: true }),
      });
    },
  );
};

export default pinPages;
