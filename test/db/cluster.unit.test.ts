import { describe, expect, it } from '@jest/globals';
import { isTransientDbError, parseHosts } from '@barback/db';

describe('parseHosts', () => {
  it('reads host:port lists with defaults and spaces', () => {
    expect(parseHosts('db-rw:5432, db-r , 127.0.0.1:21011')).toEqual([
      { host: 'db-rw', port: 5432 },
      { host: 'db-r', port: 5432 },
      { host: '127.0.0.1', port: 21011 },
    ]);
  });
});

describe('isTransientDbError', () => {
  it('retries failover and connection errors', () => {
    expect(isTransientDbError({ code: '57P01' })).toBe(true);
    expect(isTransientDbError({ code: '25006' })).toBe(true);
    expect(isTransientDbError({ code: '08006' })).toBe(true);
    expect(isTransientDbError({ code: 'ECONNREFUSED' })).toBe(true);
    expect(isTransientDbError(new Error('Connection terminated unexpectedly'))).toBe(true);
  });

  it('does not retry errors that would fail again', () => {
    expect(isTransientDbError({ code: '23505' })).toBe(false);
    expect(isTransientDbError(new TypeError('x is undefined'))).toBe(false);
  });
});
