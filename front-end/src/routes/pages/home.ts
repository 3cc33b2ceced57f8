import type { FastifyPluginAsync } from 'fastify';
import { endSession } from '../../services/auth.js';

const home: FastifyPluginAsync = async (fastify) => {
  fastify.get('/', { preHandler: fastify.requireUserPage }, async (request, reply) => {
    try {
      const session = await fastify.auth.me(request);
      return reply.view('home', {
        title: session.venue.name,
        session,
        user: request.session.get('user'),
        csrfToken: await reply.generateCsrf(),
      });
    } catch (err) {
      const code = (err as { code?: string }).code;
      // Disabled or removed since the cookie was issued: the cookie alone is not enough.
      if (code === 'BB_SESSION_INVALID' || code === 'BB_NOT_AUTHENTICATED') {
        endSession(request);
        return reply.redirect('/login', 303);
      }
      throw err;
    }
  });
};

export default home;
