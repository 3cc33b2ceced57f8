import type { CallOptions, ReplyOf, RequestOf, RpcClient } from '@barback/messaging';
import type { Passwords } from './passwords.js';

/** A new account as the API and the staff page take it: the initial password in plain text, over TLS. */
export type NewStaff = Omit<RequestOf<'staff.createStaff'>, 'passwordHash'> & { password: string };

/** The initial password is hashed here, in the front end: only the hash crosses the broker. */
export async function createStaff(
  rpc: RpcClient,
  passwords: Passwords,
  { password, ...person }: NewStaff,
  write: CallOptions,
): Promise<ReplyOf<'staff.createStaff'>> {
  const passwordHash = await passwords.hash(password);
  return rpc.call('staff.createStaff', { ...person, passwordHash }, write);
}
