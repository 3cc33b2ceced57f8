/** The handler registry (back-end/src/handlers/index.ts) and the actor each handler is given (handlers/types.ts). */
import { describe, expect, it } from '@jest/globals';
import { actions, type Actor } from '@barback/messaging';
import { handlers, type ActorRecord, type HandlerContext } from '@barback/back-end';

/**
 * A handler's actor is typed from its contract (checked by `tsc -b`, which
 * type-checks test/): a session action's is never null, so no handler needs
 * `ctx.actor!`; a write gets the account as loaded, a read the message's ids;
 * an action without a session gets none.
 */
type Same<X, Y> = [X] extends [Y] ? ([Y] extends [X] ? true : false) : false;
export const actorTypes: [
  Same<HandlerContext<'catalogue.createProduct'>['actor'], ActorRecord>,
  Same<HandlerContext<'catalogue.listProducts'>['actor'], Actor>,
  Same<HandlerContext<'auth.register'>['actor'], null>,
  Same<HandlerContext<'system.ping'>['actor'], null>,
] = [true, true, true, true];

describe('handler registry', () => {
  it('has exactly one handler for every action in the contract', () => {
    expect([...handlers.keys()].sort()).toEqual(Object.keys(actions).sort());
  });
});
