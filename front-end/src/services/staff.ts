import { Errors, type CallOptions, type ReplyOf, type RequestOf, type RpcClient } from '@barback/messaging';
import { checkChosenPassword, type Passwords } from './passwords.js';

/** A new account as the API and the staff page take it: the initial password in plain text, over TLS. */
export type NewStaff = Omit<RequestOf<'staff.createStaff'>, 'passwordHash'> & { password: string };

/**
 * The initial password is hashed here, in the front end: only the hash
 * crosses the broker. The caller's role (from the session) is checked first,
 * so a bartender's attempt costs no argon2 work and takes no longer than any
 * other refusal; the worker still decides, and audits what reaches it.
 */
export async function createStaff(
  rpc: RpcClient,
  passwords: Passwords,
  { password, ...person }: NewStaff,
  write: CallOptions,
  callerRole: 'manager' | 'bartender' | undefined,
): Promise<ReplyOf<'staff.createStaff'>> {
  if (callerRole !== 'manager') throw new Errors.forbidden('Only a manager can do this.');
  checkChosenPassword(password, { email: person.email, name: person.name }, 'password', 'The initial password');
  const passwordHash = await passwords.hash(password);
  return rpc.call('staff.createStaff', { ...person, passwordHash }, write);
}
