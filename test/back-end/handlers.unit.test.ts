import { describe, expect, it } from '@jest/globals';
import { actions } from '@barback/messaging';
import { handlers } from '../../back-end/src/handlers/index.js';
import { loadConfig } from '../../back-end/src/config.js';

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
