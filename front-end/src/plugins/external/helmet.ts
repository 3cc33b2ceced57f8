import fp from 'fastify-plugin';
import helmet from 'helmet';

/** A year, as browsers' preload lists ask; sent only over HTTPS (see below). */
const HSTS = 'max-age=31536000; includeSubDomains';

/**
 * Security headers from helmet, its middleware built once at boot:
 * @fastify/helmet builds it again for every request (parsing the CSP each
 * time), which cost the hottest read about 0.08 ms of CPU a request.
 *
 * - Framing: no page may be framed, said once in each language browsers
 *   speak: CSP `frame-ancestors 'none'` and, for older ones, `X-Frame-Options: DENY`
 *   (helmet's default SAMEORIGIN contradicted the CSP).
 * - Styles: only our own stylesheet (`style-src 'self'`): no inline `<style>`
 *   or `style=""` in any view (a test greps them), nothing from other origins.
 * - HSTS only on a response that came over HTTPS (directly, or through a
 *   trusted proxy's X-Forwarded-Proto): over plain http a browser ignores it,
 *   and it only misleads whoever reads the headers.
 * - `Cache-Control: no-store` on every response that does not set its own
 *   (only /static/ files do): pages and API replies carry someone's data or
 *   a CSRF token, and a shared tablet must not show them from its cache, or
 *   Back, after a logout.
 */
export default fp(async (fastify) => {
  const apply = helmet({
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        styleSrc: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        upgradeInsecureRequests: null,
      },
    },
    xFrameOptions: { action: 'deny' },
    // Nothing to other sites, the origin to our own: a browser then names this site in Origin on its own form posts
    // (under no-referrer Chromium sends "Origin: null"), which the login's origin check reads (csrf.ts).
    referrerPolicy: { policy: 'same-origin' },
    strictTransportSecurity: false,
  });
  fastify.addHook('onRequest', (request, reply, done) => {
    if (request.protocol === 'https') reply.header('strict-transport-security', HSTS);
    apply(request.raw, reply.raw, (err?: unknown) => done(err as Error | undefined));
  });
  fastify.addHook('onSend', async (_request, reply) => {
    if (!reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
  });
}, { name: 'helmet' });
