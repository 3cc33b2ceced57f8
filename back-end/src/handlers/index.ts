import type { ActionName } from '@barback/messaging';
import beginLogin from './auth/begin-login.js';
import finishLogin from './auth/finish-login.js';
import me from './auth/me.js';
import register from './auth/register.js';
import ping from './system/ping.js';
import type { Handler } from './types.js';

/** Every handler, keyed by its action; a test checks it covers the whole contract. */
export const handlers: ReadonlyMap<ActionName, Handler<ActionName>> = new Map(
  ([ping, register, beginLogin, finishLogin, me] as unknown as Handler<ActionName>[]).map((h) => [h.action, h]),
);
