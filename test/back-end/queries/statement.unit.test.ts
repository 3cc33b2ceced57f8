import { describe, expect, it } from '@jest/globals';
import { statement } from '../../../back-end/src/queries/statement.js';

describe('statement', () => {
  it('names a query so each connection prepares it once', () => {
    const byVenue = statement('test-by-venue', 'SELECT 1 WHERE $1::uuid IS NOT NULL');
    expect(byVenue(['7c2b7f52-5f5c-4a4e-9a57-6b3f7bd0a0a1'])).toEqual({
      name: 'test-by-venue',
      text: 'SELECT 1 WHERE $1::uuid IS NOT NULL',
      values: ['7c2b7f52-5f5c-4a4e-9a57-6b3f7bd0a0a1'],
    });
    // Declaring the same text again (a module loaded twice) is harmless.
    expect(() => statement('test-by-venue', 'SELECT 1 WHERE $1::uuid IS NOT NULL')).not.toThrow();
  });

  it('refuses one name for two texts, which Postgres would reject on a connection that prepared the first', () => {
    statement('test-twice', 'SELECT 1');
    expect(() => statement('test-twice', 'SELECT 2')).toThrow(/test-twice/);
  });
});
