/** The PIN rule (front-end/src/services/tills.ts): 4 to 6 digits, none of the guesses anyone tries first. */
import { describe, expect, it } from '@jest/globals';
import { loadConfig } from '../../../front-end/src/config.js';
import { pinProblem } from '../../../front-end/src/services/tills.js';

describe('a PIN someone chooses', () => {
  it.each(['2580', '1470', '7391', '12357', '908172', '1212', '0101', '13579'])('accepts %s', (pin) => {
    expect(pinProblem(pin)).toBeNull();
  });

  it.each(['', '123', '1234567', '12a4', ' 2580', '２５８０', '25.8'])('refuses %j: not 4 to 6 digits', (pin) => {
    expect(pinProblem(pin)).toBe('The PIN must be 4 to 6 digits.');
  });

  it.each(['0000', '1111', '99999', '777777'])('refuses %s: one digit over and over', (pin) => {
    expect(pinProblem(pin)).toMatch(/not all the same/);
  });

  it.each(['1234', '0123', '3456', '123456', '4321', '9876', '98765', '543210'])('refuses %s: a run up or down', (pin) => {
    expect(pinProblem(pin)).toMatch(/not a run like 1234/);
  });
});

describe('TILL_IDLE_LOCK_SECONDS', () => {
  const base = { AMQP_URLS: 'amqp://x', SESSION_KEY: 'ab'.repeat(32) };

  it('defaults to 5 minutes and takes whole seconds', () => {
    expect(loadConfig(base).tillIdleLockSeconds).toBe(300);
    expect(loadConfig({ ...base, TILL_IDLE_LOCK_SECONDS: '90' }).tillIdleLockSeconds).toBe(90);
  });

  it('refuses zero, a day and more, and words, naming the variable', () => {
    for (const value of ['0', '86401', 'five minutes']) {
      expect(() => loadConfig({ ...base, TILL_IDLE_LOCK_SECONDS: value })).toThrow(/TILL_IDLE_LOCK_SECONDS/);
    }
  });
});
