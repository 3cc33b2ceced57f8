import swagger from '@fastify/swagger';
import fp from 'fastify-plugin';

/** The JSON API is all the document describes: pages, health checks and static files are not for integrators. */
const API_PREFIX = '/api/v1/';

export default fp(async (fastify) => {
  await fastify.register(swagger, {
    // 3.1, because its Schema Object is JSON Schema 2020-12, which is what TypeBox
    // writes (numeric exclusiveMinimum, `type: 'null'` in unions); declared as
    // 3.0 the same schemas did not validate, and generators refused the document.
    transform: ({ schema, url }) => ({ schema: url.startsWith(API_PREFIX) ? schema : { ...schema, hide: true }, url }),
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Barback API',
        version: '1',
        description:
          'Every call is answered by a back-end worker over the message broker. State-changing calls made with the ' +
          'session cookie must send the CSRF token (returned by register and login) in the x-csrf-token header.',
      },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'barback_session' },
          csrf: { type: 'apiKey', in: 'header', name: 'x-csrf-token' },
        },
      },
    },
  });
}, { name: 'swagger' });
