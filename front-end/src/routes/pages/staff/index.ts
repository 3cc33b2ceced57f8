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
import { enrolTill, forgetTillIfThisBrowser, markSessionAsTill, pinProblem, setStaffPin, tillDevice } from '../../../services/tills.js';
import { IdParams } from '../../api/common.js';

const FIELDS = ['name', 'email', 'role', 'password'] as const;
const ROLES = [
  { value: 'bartender', label: 'Bartender' },
  { value: 'manager', label: 'Manager' },
];
const EmailOnly = Type.Object({ email: Email });
const StaffQuery = Type.Object({
  created: Type.Optional(Uuid),
  disabled: Type.Optional(Uuid),
  pinSet: Type.Optional(Uuid),
  enrolled: Type.Optional(Uuid),
  revoked: Type.Optional(Uuid),
});

function checkForm(values: Record<string, string>): FieldErrors {
  const errors: FieldErrors = { ...validateForm(EmailOnly, { email: values.email ?? '' }) };
  if (!values.name) errors.name = 'Name is required.';
  else if (values.name.length > 120) errors.name = 'Name must be at most 120 characters.';
  if (!ROLES.some((r) => r.value === values.role)) errors.role = 'Choose a role.';
  const password = passwordProblem(values.password ?? '', 'The initial password');
  if (password) errors.password = password;
  return errors;
}

function checkPinForm(values: Record<string, string>): FieldErrors {
  const errors: FieldErrors = {};
  if (!values.pinStaffId) errors.pinStaffId = 'Choose whose PIN to set.';
  const problem = pinProblem(values.pin ?? '');
  if (problem) errors.pin = problem;
  return errors;
}

function checkTillForm(values: Record<string, string>): FieldErrors {
  if (!values.tillName) return { tillName: 'Name the till, e.g. Bar 1.' };
  if (values.tillName.length > 60) return { tillName: 'The till name must be at most 60 characters.' };
  return {};
}

interface StaffState {
  status: number;
  values?: Record<string, string>;
  errors?: FieldErrors;
  formError?: string | null;
  created?: string | undefined;
  disabled?: string | undefined;
  pinSet?: string | undefined;
  enrolled?: string | undefined;
  revoked?: string | undefined;
  postedForm?: string;
}

/**
 * Managers' page: the venue's accounts, their till PINs and the venue's
 * tills. A bartender asking for it gets the worker's 403 (and the attempt is
 * audited); a session signed in with a PIN is sent to log in with email and
 * password first (a PIN must not become a new account, PIN or till).
 */
const staffPages: FastifyPluginAsync = async (fastify) => {
  const pages = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const render = async (request: FastifyRequest, reply: FastifyReply, state: StaffState) => {
    const opts = callOptions(request);
    const [session, staff, tills] = await Promise.all([
      fastify.auth.me(request),
      fastify.rpc.call('staff.listStaff', {}, opts),
      fastify.rpc.call('staff.listTills', {}, opts),
    ]);
    const show = displayHelpers(session.venue.timeZone);
    const key = (form: string) => keyFor(request, state.postedForm === form);
    const values: Record<string, string> = { role: 'bartender', ...(state.values ?? {}) };
    delete values.password; // never echo a password back into the page
    delete values.pin; // nor a PIN
    const thisTillId = tillDevice(request)?.tillId;
    const thisTill = tills.items.find((t) => t.id === thisTillId && !t.revokedAt) ?? null;
    return reply.code(state.status).view('staff', {
      ...(await layoutData(request, reply, 'staff')),
      title: 'Staff',
      staff: staff.items.map((m) => ({
        ...m,
        createdAt: show.dateTime(m.createdAt),
        isSelf: m.id === session.staff.id,
        disableKey: key(`disable:${m.id}`),
      })),
      pinStaff: staff.items.filter((m) => m.active).map((m) => ({ value: m.id, label: m.hasPin ? `${m.name} (has a PIN)` : m.name })),
      tills: tills.items.map((t) => ({
        ...t,
        createdAt: show.dateTime(t.createdAt),
        lastSeenAt: t.lastSeenAt ? show.dateTime(t.lastSeenAt) : null,
        revokedAt: t.revokedAt ? show.dateTime(t.revokedAt) : null,
        isThisBrowser: t.id === thisTill?.id,
        revokeKey: key(`revoke:${t.id}`),
      })),
      thisTill,
      created: staff.items.find((m) => m.id === state.created) ?? null,
      disabled: staff.items.find((m) => m.id === state.disabled) ?? null,
      pinSet: staff.items.find((m) => m.id === state.pinSet) ?? null,
      enrolled: tills.items.find((t) => t.id === state.enrolled) ?? null,
      revoked: tills.items.find((t) => t.id === state.revoked) ?? null,
      roles: ROLES,
      values,
      errors: state.errors ?? {},
      formError: state.formError ?? null,
      passwordMinLength: PASSWORD_MIN_LENGTH,
      createKey: key('create'),
      pinKey: key('pin'),
      enrolKey: key('enrol'),
    });
  };

  const page = [fastify.requireUserPage, fastify.requirePasswordPage];
  const post = [fastify.checkCsrf, ...page];

  pages.get('/staff', { schema: { querystring: StaffQuery, hide: true }, preValidation: page }, async (request, reply) =>
    render(request, reply, { status: 200, ...request.query }),
  );

  pages.post('/staff', { schema: PAGE, preValidation: post }, async (request, reply) => {
    const values = formValues(request.body, FIELDS, ['password']);
    return submitForm(reply, {
      errors: checkForm(values),
      write: async () => {
        const person = { name: values.name ?? '', email: values.email ?? '', role: values.role as 'manager' | 'bartender', password: values.password ?? '' };
        const member = await createStaff(fastify.rpc, fastify.passwords, person, formWriteOptions(request), request.session.get('user')?.role);
        return `/staff?created=${member.id}`;
      },
      fieldFor: (f) => (f === 'passwordHash' ? 'password' : (FIELDS as readonly string[]).includes(f) ? f : null),
      render: (problem) => render(request, reply, { ...problem, values, postedForm: 'create' }),
    });
  });

  pages.post(
    '/staff/:id/disable',
    { schema: { params: IdParams, hide: true }, preValidation: post },
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

  pages.post('/staff/pin', { schema: PAGE, preValidation: post }, async (request, reply) => {
    const values = formValues(request.body, ['pinStaffId', 'pin'], ['pin']);
    return submitForm(reply, {
      errors: checkPinForm(values),
      write: async () => {
        const member = await setStaffPin(fastify.rpc, fastify.passwords, { staffId: values.pinStaffId ?? '', pin: values.pin ?? '' }, formWriteOptions(request));
        return `/staff?pinSet=${member.id}`;
      },
      fieldFor: (f) => (f === 'staffId' ? 'pinStaffId' : f === 'pin' || f === 'pinHash' ? 'pin' : null),
      render: (problem) => render(request, reply, { ...problem, values, postedForm: 'pin' }),
    });
  });

  pages.post('/staff/tills', { schema: PAGE, preValidation: post }, async (request, reply) => {
    const values = formValues(request.body, ['tillName']);
    return submitForm(reply, {
      errors: checkTillForm(values),
      write: async () => {
        const till = await enrolTill(fastify.rpc, fastify.config, reply, values.tillName ?? '', formWriteOptions(request));
        markSessionAsTill(request, till);
        return `/staff?enrolled=${till.id}`;
      },
      fieldFor: (f) => (f === 'name' ? 'tillName' : null),
      render: (problem) => render(request, reply, { ...problem, values, postedForm: 'enrol' }),
    });
  });

  pages.post(
    '/staff/tills/:id/revoke',
    { schema: { params: IdParams, hide: true }, preValidation: post },
    async (request, reply) =>
      submitForm(reply, {
        write: async () => {
          const till = await fastify.rpc.call('staff.revokeTill', { tillId: request.params.id }, formWriteOptions(request));
          forgetTillIfThisBrowser(request, reply, till.id);
          return `/staff?revoked=${till.id}`;
        },
        fieldFor: () => null,
        render: (problem) => render(request, reply, { ...problem, postedForm: `revoke:${request.params.id}` }),
      }),
  );
};

export default staffPages;
