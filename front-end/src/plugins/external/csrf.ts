import csrf from '@fastify/csrf-protection';
import { Errors } from '@barback/messaging';
import type { FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';

declare module 'fastify' {
  interface FastifyInstance {
    /**
     * csrfProtection as a function property: @fastify/csrf-protection types
     * it as a method, which a route cannot hand on without typescript-eslint's
     * unbound-method error, though it uses no `this`.
     */
    checkCsrf: (request: FastifyRequest, reply: FastifyReply, done: () => void) => void;
    /**
     * preValidation of the routes that start a session (register, login, PIN
     * login; API and pages): 403 BB_CROSS_ORIGIN unless the request comes
     * from this site, or says nothing about where it comes from.
     */
    checkOrigin: (request: FastifyRequest) => Promise<void>;
  }
}

/**
 * Login CSRF: a hostile page must not sign a visitor's browser in to the
 * attacker's account. The page forms also carry a CSRF token; the API's
 * login and register cannot (there is no session yet), so they rely on this
 * and on taking JSON only (formbody.ts), which a cross-site form cannot send.
 * A browser says where a request comes from in Sec-Fetch-Site (every current
 * one) and Origin: Sec-Fetch-Site decides when sent (only `same-origin`
 * passes); without it, an Origin naming another host, or `null` (a sandboxed
 * frame, a file: page), is refused. Neither header (curl, an API client) is
 * allowed: such a client is not a victim's browser driven by another site.
 * Origin alone cannot decide for a browser that sends both: under a
 * no-referrer policy Chromium sends `Origin: null` on its own same-origin
 * form posts.
 */
export function isCrossOrigin(request: FastifyRequest): boolean {
  const site = request.headers['sec-fetch-site'];
  if (site !== undefined) return site !== 'same-origin';
  const origin = request.headers.origin;
  if (origin === undefined) return false;
  try {
    // Hosts, not schemes: behind a TLS-terminating proxy without TRUST_PROXY the request itself looks like http.
    return new URL(origin).host !== new URL(`http://${request.host}`).host;
  } catch {
    // "null" or garbage: not this site.
    return true;
  }
}

/** Forms send `_csrf`; API clients send the token from register/login in `x-csrf-token`. */
function getToken(request: FastifyRequest): string | undefined {
  const header = request.headers['x-csrf-token'];
  if (typeof header === 'string' && header) return header;
  const body = request.body as { _csrf?: unknown } | undefined;
  return typeof body?._csrf === 'string' ? body._csrf : undefined;
}

export default fp(
  async (fastify) => {
    await fastify.register(csrf, { sessionPlugin: '@fastify/secure-session', getToken });
    fastify.decorate('checkCsrf', (request: FastifyRequest, reply: FastifyReply, done: () => void) => {
      fastify.csrfProtection(request, reply, done);
    });
    fastify.decorate('checkOrigin', async (request: FastifyRequest) => {
      if (isCrossOrigin(request)) throw new Errors.crossOrigin();
    });
  },
  { name: 'csrf', dependencies: ['session'] },
);
