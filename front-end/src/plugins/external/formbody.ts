import formbody from '@fastify/formbody';
import { Errors } from '@barback/messaging';
import type { FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';

/** A request that carries a body: a Content-Type, or a length or chunked transfer announced. */
function hasBody(request: FastifyRequest): boolean {
  const length = request.headers['content-length'];
  return request.headers['content-type'] !== undefined || (length !== undefined && length !== '0') || request.headers['transfer-encoding'] !== undefined;
}

/**
 * Pages post HTML forms (urlencoded); the JSON API takes JSON only and
 * answers anything else with 415 in the one error shape, before the body is
 * read. A cross-site HTML form can send urlencoded, multipart or text/plain
 * without asking the browser's permission, never application/json: refusing
 * the rest on /api/ is what keeps the API's login and register, which have
 * no CSRF token to check, out of a hostile page's reach (with checkOrigin).
 */
export default fp(async (fastify) => {
  await fastify.register(formbody, { bodyLimit: 64 * 1024 });
  fastify.addHook('onRequest', async (request) => {
    if (!request.url.startsWith('/api/') || !hasBody(request)) return;
    const type = request.headers['content-type']?.split(';')[0]?.trim().toLowerCase();
    // A route that takes an XML document says so (config.xmlBody: the e-invoice import); a cross-site form cannot send XML either.
    const xml = (request.routeOptions.config as { xmlBody?: boolean } | undefined)?.xmlBody === true && (type === 'application/xml' || type === 'text/xml');
    if (type !== 'application/json' && !xml) throw new Errors.unsupportedMediaType();
  });
}, { name: 'formbody' });
