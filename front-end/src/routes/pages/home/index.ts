import type { FastifyPluginAsync } from 'fastify';
import { layoutData } from '../../../services/pages.js';

/**
 * The start page: where a role may go. The links follow the role the worker
 * confirmed; the worker still refuses a manager action to anyone else.
 * A disabled account or a stale cookie is sent to the login page by the error handler.
 */
const home: FastifyPluginAsync = async (fastify) => {
  fastify.get<{ Querystring: { passwordChanged?: string } }>('/', { schema: { hide: true }, preValidation: fastify.requireUserPage }, async (request, reply) => {
    const session = await fastify.auth.me(request);
    if (session.staff.mustChangePassword) return reply.redirect('/password', 303);
    return reply.view('home', {
      ...(await layoutData(request, reply, 'home')),
      title: session.venue.name,
      session,
      isManager: session.staff.role === 'manager',
      passwordChanged: request.query.passwordChanged === '1',
    });
  });
};

export default home;
