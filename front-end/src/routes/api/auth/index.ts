import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { Errors } from '@barback/messaging';
import { startSession, type SignedIn } from '../../../services/auth.js';
import { writeOptions } from '../../../services/calls.js';
import { changePassword } from '../../../services/password-change.js';
import { setOwnPin, tillDevice } from '../../../services/tills.js';
import {
  changePasswordSchema,
  listTillStaffSchema,
  loginSchema,
  logoutSchema,
  meSchema,
  pinLoginSchema,
  registerSchema,
  setPinSchema,
  signOutEverywhereSchema,
} from './schemas.js';

/** What a client is told of a new session: who and where, never the session's id (only the cookie holds it). */
function sessionReply(csrfToken: string, { sessionId: _kept, ...session }: SignedIn) {
  return { csrfToken, ...session };
}

/**
 * register and login have no CSRF token to check (there is no session yet):
 * they take JSON only (formbody.ts), which a cross-site form cannot send,
 * and refuse another site's Origin or Sec-Fetch-Site (checkOrigin).
 */
const authApi: FastifyPluginAsync = async (fastify) => {
  const api = fastify.withTypeProvider<TypeBoxTypeProvider>();

  api.post(
    '/register',
    { schema: registerSchema, onRequest: fastify.registerRateLimit, preValidation: fastify.checkOrigin },
    async (request, reply) => {
      const session = await fastify.auth.register(request, request.body);
      startSession(request, session);
      return reply.code(201).send(sessionReply(reply.generateCsrf(), session));
    },
  );

  api.post('/login', { schema: loginSchema, onRequest: fastify.loginRateLimit, preValidation: fastify.checkOrigin }, async (request, reply) => {
    const session = await fastify.auth.login(request, request.body.email, request.body.password);
    startSession(request, session);
    return reply.send(sessionReply(reply.generateCsrf(), session));
  });

  // Ends the session in the database too: a copy of the cookie answers 401 from now on.
  api.post(
    '/logout',
    { schema: logoutSchema, preValidation: [fastify.checkCsrf, fastify.requireUser] },
    async (request, reply) => {
      // On a till the device stays enrolled: only the person is signed out.
      await fastify.auth.logout(request, { lock: tillDevice(request) !== null });
      // The schema says null: Fastify sends no body with a 204 either way.
      return reply.code(204).send(null);
    },
  );

  // Every other session of the caller ends (other browsers, tills, a copied cookie); a password session only, like /password.
  api.post(
    '/sign-out-everywhere',
    { schema: signOutEverywhereSchema, preValidation: [fastify.checkCsrf, fastify.requireUser, fastify.requirePassword] },
    async (request) => fastify.auth.signOutEverywhere(request, writeOptions(request)),
  );

  api.get('/me', { schema: meSchema, preValidation: fastify.requireUser }, async (request) => fastify.auth.me(request));

  // Rate-limited like login: a stolen cookie must not become a way to guess the current password.
  api.post(
    '/password',
    { schema: changePasswordSchema, preValidation: [fastify.checkCsrf, fastify.requireUser, fastify.requirePassword], config: fastify.authRateLimit },
    async (request) => changePassword(fastify.rpc, fastify.passwords, request, request.body, writeOptions(request)),
  );

  /** The till is the `bb_till` cookie, checked by the worker; no session is needed to see who can sign in on it. */
  const device = (request: FastifyRequest) => {
    const found = tillDevice(request);
    if (!found) throw new Errors.tillNotEnrolled();
    return found;
  };

  api.get('/till-staff', { schema: listTillStaffSchema }, async (request) => fastify.auth.listTillStaff(request, device(request)));

  // Exempt from CSRF like login: it creates the session, and a cross-site request cannot send the till's SameSite=Strict cookie.
  api.post(
    '/pin-login',
    { schema: pinLoginSchema, config: fastify.pinRateLimit, preValidation: fastify.checkOrigin },
    async (request, reply) => {
      const { session, till } = await fastify.auth.pinLogin(request, device(request), request.body.staffId, request.body.pin);
      startSession(request, session, { till, pin: true });
      return reply.send({ ...sessionReply(reply.generateCsrf(), session), till });
    },
  );

  api.post(
    '/pin',
    { schema: setPinSchema, preValidation: [fastify.checkCsrf, fastify.requireUser, fastify.requirePassword], config: fastify.authRateLimit },
    async (request) => setOwnPin(fastify.rpc, fastify.passwords, request, request.body, writeOptions(request)),
  );
};

export default authApi;
