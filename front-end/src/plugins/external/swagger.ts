import swagger from '@fastify/swagger';
import fp from 'fastify-plugin';

export default fp(async (fastify) => {
  await fastify.register(swagger, {
    openapi: {
      openapi: '3.0.3',
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
