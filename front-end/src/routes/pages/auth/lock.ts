import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { isCodedError, type ReplyOf } from '@barback/messaging';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { lockSession, startSession } from '../../../services/auth.js';
import type { FieldErrors } from '../../../services/forms.js';
import { PAGE, displayHelpers, formValues } from '../../../services/pages.js';
import { clearTillCookie, tillDevice, type TillDevice } from '../../../services/tills.js';

const PUBLIC = new URL('../../../../public/', import.meta.url);
const IDLE_PLACEHOLDER = '__TILL_IDLE_LOCK_SECONDS__';
const STYLES = readFileSync(new URL('tills.css', PUBLIC));

/** The till script with this front end's idle time in it: one setting drives both sides of the idle lock. */
function tillScript(idleSeconds: number): { body: string; etag: string } {
  const source = readFileSync(new URL('till-lock.js', PUBLIC), 'utf8');
  if (!source.includes(IDLE_PLACEHOLDER)) throw new Error(`public/till-lock.js lost its ${IDLE_PLACEHOLDER} placeholder`);
  const body = source.replace(IDLE_PLACEHOLDER, String(idleSeconds));
  return { body, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 16)}"` };
}

/** "5 min", or seconds when the setting is under a minute (as in tests). */
function idleWords(seconds: number): string {
  return seconds < 60 ? `${seconds} s` : `${Math.round(seconds / 60)} min`;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const PIN = /^[0-9]{4,6}$/;

/** What a lock screen shows besides the till's staff: who is chosen, and what went wrong. */
interface LockState {
  status: number;
  staffId?: string | undefined;
  errors?: FieldErrors;
  notice?: string | null;
}

/**
 * An enrolled till's PIN screen (`/lock`): the venue's staff who have a PIN,
 * as big buttons, a PIN field with a keypad, one plain form that works with
 * JavaScript off (the keypad appears only with it). Opening it locks the
 * till: the last person is signed out, the device stays enrolled.
 */
const lockPages: FastifyPluginAsync = async (fastify) => {
  const script = tillScript(fastify.config.tillIdleLockSeconds);

  /** A revoked or unknown till: the browser becomes an ordinary one again and goes to the email login. */
  const notATill = (reply: FastifyReply) => {
    clearTillCookie(reply);
    return reply.redirect('/login?tillRevoked=1', 303);
  };

  const render = async (request: FastifyRequest, reply: FastifyReply, device: TillDevice, state: LockState) => {
    let screen: ReplyOf<'auth.listTillStaff'>;
    try {
      screen = await fastify.auth.listTillStaff(request, device);
    } catch (err) {
      if (isCodedError(err) && err.code === 'BB_TILL_NOT_ENROLLED') return notATill(reply);
      throw err;
    }
    const show = displayHelpers(screen.venue.timeZone);
    return reply.code(state.status).view('lock', {
      title: `${screen.till.name} locked`,
      user: null,
      nav: '',
      csrfToken: reply.generateCsrf(),
      till: screen.till,
      venue: screen.venue,
      staff: screen.staff.map((s) => ({ ...s, lockedUntil: s.lockedUntil ? show.time(s.lockedUntil) : null, chosen: s.id === state.staffId })),
      errors: state.errors ?? {},
      notice: state.notice ?? null,
      idleTime: idleWords(fastify.config.tillIdleLockSeconds),
    });
  };

  fastify.get<{ Querystring: { idle?: string } }>('/lock', { schema: PAGE }, async (request, reply) => {
    const device = tillDevice(request);
    if (!device) return reply.redirect('/login', 303);
    if (request.session.get('user')) {
      try {
        await fastify.auth.logout(request, { lock: true });
      } catch (err) {
        // Switching user must work with the broker down: locked here, the session's row goes at its expiry.
        request.log.warn({ err }, 'could not end the session on the server; locked it in the cookie');
        lockSession(request);
      }
    }
    // Sent by the idle timer (public/till-lock.js); by then the server has usually locked the session itself.
    const notice = request.query.idle === '1' ? `The till locked itself after ${idleWords(fastify.config.tillIdleLockSeconds)} without use.` : null;
    return render(request, reply, device, { status: 200, notice });
  });

  fastify.post('/lock', { schema: PAGE, preValidation: [fastify.checkOrigin, fastify.checkCsrf], config: fastify.pinRateLimit }, async (request, reply) => {
    const device = tillDevice(request);
    if (!device) return reply.redirect('/login', 303);
    const values = formValues(request.body, ['staffId', 'pin'], ['pin']);
    const staffId = values.staffId && UUID.test(values.staffId) ? values.staffId : undefined;
    const errors: FieldErrors = {};
    if (!staffId) errors.staffId = 'Choose your name first.';
    if (!PIN.test(values.pin ?? '')) errors.pin = 'Enter your PIN: 4 to 6 digits.';
    if (!staffId || errors.pin) return render(request, reply, device, { status: 400, staffId, errors });
    try {
      const { session, till } = await fastify.auth.pinLogin(request, device, staffId, values.pin ?? '');
      startSession(request, session, { till, pin: true });
    } catch (err) {
      if (!isCodedError(err)) throw err;
      if (err.code === 'BB_TILL_NOT_ENROLLED') return notATill(reply);
      if (err.code !== 'BB_BAD_PIN' && err.code !== 'BB_PIN_LOCKED') throw err;
      return render(request, reply, device, { status: err.statusCode ?? 401, staffId, errors: { pin: err.message } });
    }
    // A till opens on the till.
    return reply.redirect('/till', 303);
  });

  fastify.get('/static/till-lock.js', { schema: PAGE }, async (request, reply) => {
    // Revalidated on every page: a changed idle time reaches the till at once, and an unchanged one costs a 304.
    reply.header('cache-control', 'no-cache').header('etag', script.etag).type('text/javascript');
    if (request.headers['if-none-match'] === script.etag) return reply.code(304).send();
    return reply.send(script.body);
  });

  fastify.get('/static/tills.css', { schema: PAGE }, async (_request, reply) =>
    reply.type('text/css').header('cache-control', 'public, max-age=3600').send(STYLES),
  );
};

export default lockPages;
