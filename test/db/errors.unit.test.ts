import { describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { NoPrimaryError, classifyFailure, isTransientDbError } from '@barback/db';
import { PermanentError } from '@barback/messaging';

/** An error as node-postgres raises it for a statement the server refused. */
function pgError(code: string, message = 'x'): Error {
  const err = new pg.DatabaseError(message, message.length, 'error');
  err.code = code;
  err.severity = 'ERROR';
  return err;
}

const socketError = (code: string) => Object.assign(new Error(`connect ${code} 127.0.0.1:5432`), { code, syscall: 'connect' });

describe('classifyFailure', () => {
  it.each([
    ['08006 connection_failure', pgError('08006')],
    ['08P01 protocol_violation (class 08)', pgError('08P01')],
    ['25006 read_only_sql_transaction (a standby that was the primary)', pgError('25006')],
    ['40001 serialization_failure', pgError('40001')],
    ['40P01 deadlock_detected', pgError('40P01')],
    ['53300 too_many_connections', pgError('53300')],
    ['53100 disk_full (class 53)', pgError('53100')],
    ['55P03 lock_not_available', pgError('55P03')],
    ['57014 query_canceled (statement_timeout)', pgError('57014')],
    ['57P01 admin_shutdown', pgError('57P01')],
    ['57P02 crash_shutdown', pgError('57P02')],
    ['57P03 cannot_connect_now', pgError('57P03')],
    ['58030 io_error (class 58)', pgError('58030')],
    ['ECONNREFUSED', socketError('ECONNREFUSED')],
    ['ECONNRESET', socketError('ECONNRESET')],
    ['EPIPE', socketError('EPIPE')],
    ['ETIMEDOUT', socketError('ETIMEDOUT')],
    ['EAI_AGAIN (DNS)', socketError('EAI_AGAIN')],
    ['the pool losing its connection, with no code', new Error('Connection terminated unexpectedly')],
    ['the pool timing out a connect, with no code', new Error('timeout exceeded when trying to connect')],
    ['a client left broken', new Error('Client has encountered a connection error and is not queryable')],
    ['a server starting up', new Error('the database system is starting up')],
    ['a closed broker channel', new Error('Channel closed')],
    ['no primary', new NoPrimaryError([{ host: 'db', port: 5432 }])],
    ['a wrapper of a lost connection', new Error('query failed', { cause: socketError('ECONNRESET') })],
    ['a connect to several addresses refused', new AggregateError([socketError('ECONNREFUSED')], '')],
    ['a TypeError whose cause is the network', new TypeError('fetch failed', { cause: socketError('ECONNRESET') })],
    ['an error that says it is retryable', Object.assign(new Error('try later'), { retryable: true })],
  ])('%s: transient', (_what, err) => {
    expect(classifyFailure(err)).toBe('transient');
    expect(isTransientDbError(err)).toBe(true);
  });

  it.each([
    ['22P02 invalid_text_representation', pgError('22P02')],
    ['22021 character_not_in_repertoire (NUL in text)', pgError('22021', 'invalid byte sequence for encoding "UTF8": 0x00')],
    ['22003 numeric_value_out_of_range', pgError('22003')],
    ['23505 unique_violation', pgError('23505')],
    ['23514 check_violation', pgError('23514')],
    ['42P01 undefined_table', pgError('42P01')],
    ['42703 undefined_column', pgError('42703')],
    ['P0001 raise_exception', pgError('P0001')],
    ['XX000 internal_error', pgError('XX000')],
    ['57P04 database_dropped', pgError('57P04')],
    ['a SQLSTATE on a plain object', { code: '23503' }],
    ['a TypeError (a bug)', new TypeError("Cannot read properties of undefined (reading 'id')")],
    ['a RangeError (a bug)', new RangeError('Invalid time value')],
    ['a ReferenceError (a bug)', new ReferenceError('x is not defined')],
    ["messaging's PermanentError (no handler, a reply that breaks the contract)", new PermanentError('no handler for till.x')],
  ])('%s: permanent', (_what, err) => {
    expect(classifyFailure(err)).toBe('permanent');
    expect(isTransientDbError(err)).toBe(false);
  });

  it.each([
    ['a plain Error', new Error('boom')],
    ['a pool used after end', new Error('Cannot use a pool after calling end on the pool')],
    ['an errno code that is not the network', socketError('EMFILE')],
    ['a coded error of our own', Object.assign(new Error('x'), { code: 'BB_SOMETHING' })],
    ['a string', 'boom'],
    ['null', null],
  ])('%s: unknown', (_what, err) => {
    expect(classifyFailure(err)).toBe('unknown');
    expect(isTransientDbError(err)).toBe(false);
  });

  it('does not mistake a five-letter errno code (EPERM) for a SQLSTATE', () => {
    expect(classifyFailure(socketError('EPERM'))).toBe('unknown');
    expect(classifyFailure(socketError('EBADF'))).toBe('unknown');
  });
});
