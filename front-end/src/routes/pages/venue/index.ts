import { Errors } from '@barback/messaging';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { callOptions } from '../../../services/auth.js';
import { formWriteOptions } from '../../../services/calls.js';
import { PAGE, formValues, keyFor, layoutData, submitForm } from '../../../services/pages.js';

const SettingsQuery = Type.Object({ saved: Type.Optional(Type.Literal('1')) });

/** Who may take a drink off a tab, as the choice reads on the page. */
const VOID_CHOICES = [
  { value: 'bartenders', label: 'Bartenders and managers', hint: 'Anyone on the till can take a drink off a tab, with a reason. Every one is in the audit log.' },
  { value: 'managers', label: 'Managers only', hint: 'A bartender asks a manager to take a drink off a tab.' },
] as const;

/** When the business day rolls over: 00:00 to 12:00, as the contract allows; the dashboard's "today" starts then. */
const DAY_START_CHOICES = Array.from({ length: 13 }, (_, h) => ({ value: String(h), label: `${String(h).padStart(2, '0')}:00${h === 6 ? ' (the default)' : ''}` }));

interface SettingsState {
  status: number;
  saved?: boolean;
  formError?: string | null;
  errors?: Record<string, string>;
  postedForm?: string;
  /** As posted, to show again beside an error. */
  values?: Record<string, string>;
}

/**
 * Managers' page: how the venue's till works. Only managers see it (the
 * worker refuses a bartender's change whatever this page shows).
 */
const venuePages: FastifyPluginAsync = async (fastify) => {
  const pages = fastify.withTypeProvider<TypeBoxTypeProvider>();

  // After requireUserPage: the session's role, as a first answer (the worker checks it again on a change).
  const managersOnly = async (request: FastifyRequest) => {
    if (request.session.get('user')?.role !== 'manager') throw new Errors.forbidden('Only a manager can change the venue settings.');
  };

  const render = async (request: FastifyRequest, reply: FastifyReply, state: SettingsState) => {
    const [session, settings] = await Promise.all([fastify.auth.me(request), fastify.rpc.call('venue.getSettings', {}, callOptions(request))]);
    if (session.staff.role !== 'manager') throw new Errors.forbidden('Only a manager can change the venue settings.');
    return reply.code(state.status).view('venue-settings', {
      ...(await layoutData(request, reply, 'settings')),
      title: 'Settings',
      venueName: session.venue.name,
      voidChoices: VOID_CHOICES,
      voiders: state.values?.voiders ?? (settings.bartendersMayVoid ? 'bartenders' : 'managers'),
      dayStartChoices: DAY_START_CHOICES,
      values: { dayStart: state.values?.dayStart ?? String(settings.businessDayStartHour) },
      saved: state.saved ?? false,
      formError: state.formError ?? null,
      errors: state.errors ?? {},
      key: keyFor(request, state.postedForm === 'settings'),
    });
  };

  pages.get('/settings', { schema: { querystring: SettingsQuery, hide: true }, preValidation: [fastify.requireUserPage, managersOnly] }, async (request, reply) =>
    render(request, reply, { status: 200, saved: request.query.saved === '1' }),
  );

  pages.post('/settings', { schema: PAGE, preValidation: [fastify.requireUserPage, fastify.requirePasswordPage, fastify.checkCsrf, managersOnly] }, async (request, reply) => {
    const values = formValues(request.body, ['voiders', 'dayStart']);
    const chosen = VOID_CHOICES.find((c) => c.value === values.voiders);
    const dayStart = DAY_START_CHOICES.find((c) => c.value === values.dayStart);
    const errors: Record<string, string> = {};
    if (!chosen) errors.voiders = 'Choose who may take a drink off a tab.';
    if (!dayStart) errors.dayStart = 'Choose the hour the business day starts, from 00:00 to 12:00.';
    return submitForm(reply, {
      errors,
      write: async () => {
        await fastify.rpc.call(
          'venue.updateSettings',
          { bartendersMayVoid: values.voiders === 'bartenders', businessDayStartHour: Number(values.dayStart) },
          formWriteOptions(request),
        );
        return '/settings?saved=1';
      },
      fieldFor: (field) => (field === 'businessDayStartHour' ? 'dayStart' : null),
      render: (problem) => render(request, reply, { ...problem, postedForm: 'settings', values }),
    });
  });
};

export default venuePages;
