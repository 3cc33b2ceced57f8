import { describe, expect, it } from '@jest/globals';
import { isTransientDbError, lsnToBigInt, parseHosts } from '@barback/db';

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

describe('lsnToBigInt', () => {
  it('orders WAL positions as Postgres does, across the high word', () => {
    const order = ['0/0', '0/FF', '0/16B3748', '0/FFFFFFFF', '1/0', '16/B374D848', 'FFFFFFFF/FFFFFFFF'];
    const values = order.map((lsn) => lsnToBigInt(lsn)!);
    for (let i = 1; i < values.length; i++) expect(values[i]! > values[i - 1]!).toBe(true);
    expect(lsnToBigInt('16/b374d848')).toBe(lsnToBigInt('16/B374D848'));
  });

  it('answers null for anything that is not a position', () => {
    for (const bad of [null, '', '16', '16/', '/1', '1/2/3', 'G/0', '123456789/0']) expect(lsnToBigInt(bad)).toBeNull();
  });
});
