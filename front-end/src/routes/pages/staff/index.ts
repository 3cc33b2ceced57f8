import { Email, Uuid } from '@barback/messaging';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { callOptions } from '../../../services/auth.js';
import { formWriteOptions } from '../../../services/calls.js';
import { validateForm, type FieldErrors } from '../../../services/forms.js';
import { PAGE, displayHelpers, formValues, keyFor, layoutData, submitForm } from '../../../services/pages.js';
import { PASSWORD_MIN_LENGTH, passwordProblem } from '../../../services/passwords.js';
import { createStaff } from '../../../services/staff.js';
import { IdParams } from '../../api/common.js';

const FIELDS = ['name', 'email', 'role', 'password'] as const;
const ROLES = [
  { value: 'bartender', label: 'Bartender' },
  { value: 'manager', label: 'Manager' },
];
const EmailOnly = Type.Object({ email: Email });
const StaffQuery = Type.Object({ created: Type.Optional(Uuid), disabled: Type.Optional(Uuid) });

function checkForm(values: Record<string, string>): FieldErrors {
  const errors: FieldErrors = { ...validateForm(EmailOnly, { email: values.email ?? '' }) };
  if (!values.name) errors.name = 'Name is required.';
  else if (values.name.length > 120) errors.name = 'Name must be at most 120 characters.';
  if (!ROLES.some((r) => r.value === values.role)) errors.role = 'Choose a role.';
  const password = passwordProblem(values.password ?? '', 'The initial password');
  if (password) errors.password = password;
  return errors;
}

interface StaffState {
  status: number;
  values?: Record<string, string>;
  errors?: FieldErrors;
  formError?: string | null;
  created?: string | undefined;
  disabled?: string | undefined;
  postedForm?: string;
}

/** Managers' page: the venue's accounts. A bartender asking for it gets the worker's 403 (and the attempt is audited). */
const staffPages: FastifyPluginAsync = async (fastify) => {
  const pages = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const render = async (request: FastifyRequest, reply: FastifyReply, state: StaffState) => {
    const [session, staff] = await Promise.all([fastify.auth.me(request), fastify.rpc.call('staff.listStaff', {}, callOptions(request))]);
    const show = displayHelpers(session.venue.timeZone);
    const key = (form: string) => keyFor(request, state.postedForm === form);
    const values: Record<string, string> = { role: 'bartender', ...(state.values ?? {}) };
    delete values.password; // never echo a password back into the page
    return reply.code(state.status).view('staff', {
      ...(await layoutData(request, reply, 'staff')),
      title: 'Staff',
      staff: staff.items.map((m) => ({
        ...m,
        createdAt: show.dateTime(m.createdAt),
        isSelf: m.id === session.staff.id,
        disableKey: key(`disable:${m.id}`),
      })),
      created: staff.items.find((m) => m.id === state.created) ?? null,
      disabled: staff.items.find((m) => m.id === state.disabled) ?? null,
      roles: ROLES,
      values,
      errors: state.errors ?? {},
      formError: state.formError ?? null,
      passwordMinLength: PASSWORD_MIN_LENGTH,
      createKey: key('create'),
    });
  };

  pages.get(
    '/staff',
    { schema: { querystring: StaffQuery, hide: true }, preValidation: fastify.requireUserPage },
    async (request, reply) => render(request, reply, { status: 200, created: request.query.created, disabled: request.query.disabled }),
  );

  pages.post('/staff', { schema: PAGE, preValidation: [fastify.csrfProtection, fastify.requireUserPage] }, async (request, reply) => {
    const values = formValues(request.body, FIELDS, ['password']);
    return submitForm(reply, {
      errors: checkForm(values),
      write: async () => {
        const person = { name: values.name!, email: values.email!, role: values.role as 'manager' | 'bartender', password: values.password! };
        const member = await createStaff(fastify.rpc, fastify.passwords, person, formWriteOptions(request));
        return `/staff?created=${member.id}`;
      },
      fieldFor: (f) => (f === 'passwordHash' ? 'password' : (FIELDS as readonly string[]).includes(f) ? f : null),
      render: (problem) => render(request, reply, { ...problem, values, postedForm: 'create' }),
    });
  });

  pages.post(
    '/staff/:id/disable',
    { schema: { params: IdParams, hide: true }, preValidation: [fastify.csrfProtection, fastify.requireUserPage] },
    async (request, reply) =>
      submitForm(reply, {
        write: async () => {
          const member = await fastify.rpc.call('staff.disableStaff', { staffId: request.params.id }, formWriteOptions(request));
          return `/staff?disabled=${member.id}`;
        },
        fieldFor: () => null,
        render: (problem) => render(request, reply, { ...problem, postedForm: `disable:${request.params.id}` }),
      }),
  );
};

export default staffPages;
