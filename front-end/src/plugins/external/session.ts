import secureSession from '@fastify/secure-session';
import fp from 'fastify-plugin';

/**
 * The whole session lives in an encrypted, signed cookie (libsodium secretbox),
 * so any replica serves any request and no replica holds session state.
 */
export default fp(
  async (fastify) => {
    await fastify.register(secureSession, {
      key: fastify.config.sessionKey,
      cookieName: 'barback_session',
      // A bar shift, not a month: a forgotten tablet logs itself out.
      expiry: 12 * 60 * 60,
      cookie: {
        path: '/',
        httpOnly: true,
        sameSite: 'lax',
        secure: fastify.config.cookieSecure,
      },
    });
  },
  { name: 'session' },
);
