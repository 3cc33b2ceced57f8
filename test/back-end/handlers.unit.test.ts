import { describe, expect, it } from '@jest/globals';
import { actions, type Actor } from '@barback/messaging';
import { handlers, loadConfig, type ActorRecord, type HandlerContext } from '@barback/back-end';

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

describe('worker config', () => {
  const base = { AMQP_URLS: 'amqp://a, amqp://b', DB_HOSTS: 'db:5432', DB_PASSWORD: 'x' };

  it('splits the broker list and applies defaults', () => {
    const config = loadConfig(base);
    expect(config.amqpUrls).toEqual(['amqp://a', 'amqp://b']);
    expect(config.prefetch).toBe(16);
    expect(config.db.migrateOnStart).toBe(true);
    expect(config.idempotencyKeepHours).toBe(168);
  });

  it('takes the keep time of stored replies in whole hours, at least one', () => {
    expect(loadConfig({ ...base, IDEMPOTENCY_KEEP_HOURS: '24' }).idempotencyKeepHours).toBe(24);
    expect(() => loadConfig({ ...base, IDEMPOTENCY_KEEP_HOURS: '0' })).toThrow(/IDEMPOTENCY_KEEP_HOURS/);
    expect(() => loadConfig({ ...base, IDEMPOTENCY_KEEP_HOURS: 'a week' })).toThrow(/IDEMPOTENCY_KEEP_HOURS/);
  });

  it('refuses a missing password with the variable named', () => {
    expect(() => loadConfig({ AMQP_URLS: 'amqp://a', DB_HOSTS: 'db' })).toThrow(/DB_PASSWORD/);
  });
});
