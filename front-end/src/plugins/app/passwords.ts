import fp from 'fastify-plugin';
import { createPasswords } from '../../services/passwords.js';

export default fp(async (fastify) => {
  fastify.decorate('passwords', await createPasswords(fastify.config.argon2MaxConcurrency));
}, { name: 'passwords' });
