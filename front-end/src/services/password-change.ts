import { Errors, withField, type CallOptions, type RpcClient } from '@barback/messaging';
import type { FastifyRequest } from 'fastify';
import { callOptions, type Session } from './auth.js';
import { checkChosenPassword, type Passwords } from './passwords.js';

/**
 * The current password is checked here, against the hash the worker hands
 * back, so that neither password ever crosses the broker in plain text.
 *
 * `write` carries the request id: when it repeats a change that already went
 * through (a double-submitted form, a retried call), the stored hash is
 * already the new password's, and the worker answers with the first reply.
 */
export async function changePassword(
  rpc: RpcClient,
  passwords: Passwords,
  request: FastifyRequest,
  input: { currentPassword: string; newPassword: string },
  write: CallOptions,
): Promise<Session> {
  if (input.newPassword === input.currentPassword) {
    throw withField(new Errors.validation('The new password must be different from the current one.'), 'newPassword');
  }
  const { passwordHash, email, name } = await rpc.call('auth.getPasswordHash', {}, callOptions(request));
  // Before the argon2 verify: a refused new password costs no hashing.
  checkChosenPassword(input.newPassword, { email, name }, 'newPassword', 'The new password');
  if (!(await passwords.verify(passwordHash, input.currentPassword))) {
    const repeat = write.requestId !== undefined && (await passwords.verify(passwordHash, input.newPassword));
    if (!repeat) throw withField(new Errors.validation('The current password is not correct.'), 'currentPassword');
  }
  const newHash = await passwords.hash(input.newPassword);
  return rpc.call('auth.setPassword', { passwordHash: newHash }, write);
}
