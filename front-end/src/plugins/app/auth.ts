import type { RateLimitOptions } from '@fastify/rate-limit';
import { Errors } from '@barback/messaging';
import type { FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { AuthService, lockSession } from '../../services/auth.js';
import { tillDevice } from '../../services/tills.js';

/**
 * PIN attempts per minute per till (its cookie; the address without one), on
 * top of the per-person lock-out in the database. A bar of 10 staff switching
 * all evening stays far below it; a script trying PINs on a stolen till is
 * held to 20 a minute whichever names it tries.
 */
const PIN_ATTEMPTS_PER_MINUTE = 20;

declare module 'fastify' {
  interface FastifyInstance {
    auth: AuthService;
    // Function properties, not methods: they use no `this`, so routes hand them on as they are.
    /** preValidation hook for API routes: 401 without a session. */
    requireUser: (request: FastifyRequest, reply: FastifyReply) => Promise<void>;
    /** preValidation hook for pages: back to the login page (a till's PIN screen) without a session. */
    requireUserPage: (request: FastifyRequest, reply: FastifyReply) => Promise<void>;
    /** After requireUser: 403 BB_PASSWORD_REQUIRED for a session signed in with a PIN. */
    requirePassword: (request: FastifyRequest, reply: FastifyReply) => Promise<void>;
    /** After requireUserPage: a session signed in with a PIN is sent to log in with email and password. */
    requirePasswordPage: (request: FastifyRequest, reply: FastifyReply) => Promise<void>;
    /** The route `config` of every route that takes a PIN: PIN_ATTEMPTS_PER_MINUTE per till. */
    pinRateLimit: { rateLimit: RateLimitOptions };
  }
}

/** Requests that are not someone using the till: they neither lock it nor keep it awake. */
function notActivity(request: FastifyRequest): boolean {
  return request.url.startsWith('/static/') || request.url === '/healthz' || request.url === '/readyz';
}

/** Where a page sends a session signed in with a PIN that wants staff or credential administration. */
export function passwordLoginUrl(next: string): string {
  return `/login?with=password&next=${encodeURIComponent(next)}`;
}

export default fp(async (fastify) => {
  fastify.decorate('auth', new AuthService(fastify.rpc, fastify.passwords));
  fastify.decorate('requireUser', async (request: FastifyRequest) => {
    if (!request.session.get('user')) throw new Errors.notAuthenticated();
  });
  fastify.decorate('requireUserPage', async (request: FastifyRequest, reply: FastifyReply) => {
    if (request.session.get('user')) return;
    const to = tillDevice(request) ? '/lock' : '/login';
    // An htmx request (the till's in-place updates) would swap the login page into the panel: have htmx load it as a page.
    if (request.headers['hx-request'] === 'true') return reply.code(401).header('hx-redirect', to).send();
    return reply.redirect(to, 303);
  });
  fastify.decorate('requirePassword', async (request: FastifyRequest) => {
    if (request.session.get('user')?.pin) throw new Errors.passwordRequired();
  });
  fastify.decorate('requirePasswordPage', async (request: FastifyRequest, reply: FastifyReply) => {
    if (request.session.get('user')?.pin) return reply.redirect(passwordLoginUrl(request.url), 303);
  });
  fastify.decorate('pinRateLimit', {
    rateLimit: {
      max: PIN_ATTEMPTS_PER_MINUTE,
      timeWindow: '1 minute',
      keyGenerator: (request: FastifyRequest) => {
        const device = tillDevice(request);
        return device ? `till:${device.tillId}` : request.ip;
      },
      errorResponseBuilder: () => new Errors.tillRateLimited(),
    },
  });

  /**
   * The server side of a till's idle lock: a till session with no request
   * for TILL_IDLE_LOCK_SECONDS is locked before this request is handled, so
   * its page goes to the PIN screen and its API call answers 401, whatever
   * the browser still shows. (The page's own script, /static/till-lock.js,
   * also goes to the PIN screen, so the last person's tab does not stay on show.)
   */
  const idleMs = fastify.config.tillIdleLockSeconds * 1000;
  fastify.addHook('onRequest', async (request) => {
    const user = request.session.get('user');
    // A cookie from before sessions had ids (migration 0012) names no session the worker could end: signed out.
    if (user && !user.sessionId) {
      request.session.regenerate();
      return;
    }
    if (!user?.till || notActivity(request)) return;
    const now = Date.now();
    const seenAt = request.session.get('seenAt') ?? now;
    if (now - seenAt > idleMs) lockSession(request);
    else request.session.set('seenAt', now);
  });
}, { name: 'auth', dependencies: ['rpc', 'passwords', 'session', 'rate-limit'] });
