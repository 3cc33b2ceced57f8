/** The worker's configuration from its environment (back-end/src/config.ts). */
import { describe, expect, it } from '@jest/globals';
import { loadConfig } from '@barback/back-end';

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

  it('takes the cash-up note limit in whole cents, 500 by default', () => {
    expect(loadConfig(base).settings.cashVarianceNoteCents).toBe(500);
    expect(loadConfig({ ...base, CASH_VARIANCE_NOTE_CENTS: '1000' }).settings.cashVarianceNoteCents).toBe(1000);
    expect(() => loadConfig({ ...base, CASH_VARIANCE_NOTE_CENTS: '-1' })).toThrow(/CASH_VARIANCE_NOTE_CENTS/);
    expect(() => loadConfig({ ...base, CASH_VARIANCE_NOTE_CENTS: '5 euro' })).toThrow(/CASH_VARIANCE_NOTE_CENTS/);
  });

  it('refuses a missing password with the variable named', () => {
    expect(() => loadConfig({ AMQP_URLS: 'amqp://a', DB_HOSTS: 'db' })).toThrow(/DB_PASSWORD/);
  });
});
