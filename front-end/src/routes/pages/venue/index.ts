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

interface SettingsState {
  status: number;
  saved?: boolean;
  formError?: string | null;
  errors?: Record<string, string>;
  postedForm?: string;
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
      voiders: settings.bartendersMayVoid ? 'bartenders' : 'managers',
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
    const voiders = formValues(request.body, ['voiders']).voiders;
    const chosen = VOID_CHOICES.find((c) => c.value === voiders);
    return submitForm(reply, {
      errors: chosen ? {} : { voiders: 'Choose who may take a drink off a tab.' },
      write: async () => {
        await fastify.rpc.call('venue.updateSettings', { bartendersMayVoid: voiders === 'bartenders' }, formWriteOptions(request));
        return '/settings?saved=1';
      },
      fieldFor: () => null,
      render: (problem) => render(request, reply, { ...problem, postedForm: 'settings' }),
    });
  });
};

export default venuePages;
