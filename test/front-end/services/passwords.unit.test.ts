import { describe, expect, it } from '@jest/globals';
import { Ajv } from 'ajv';
import { Password } from '../../../front-end/src/routes/api/auth/schemas.js';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH, passwordProblem } from '../../../front-end/src/services/passwords.js';

describe('the one password rule', () => {
  it('takes 10 to 200 characters and says which limit a password misses, naming it as the form does', () => {
    expect([PASSWORD_MIN_LENGTH, PASSWORD_MAX_LENGTH]).toEqual([10, 200]);
    expect(passwordProblem('a'.repeat(10))).toBeNull();
    expect(passwordProblem('a'.repeat(200))).toBeNull();
    expect(passwordProblem('a'.repeat(9))).toBe('The password must be at least 10 characters.');
    expect(passwordProblem('')).toBe('The password must be at least 10 characters.');
    expect(passwordProblem('a'.repeat(201), 'The new password')).toBe('The new password must be at most 200 characters.');
    expect(passwordProblem('short', 'The initial password')).toBe('The initial password must be at least 10 characters.');
  });

  it('counts characters, not UTF-16 units: five emoji are five characters', () => {
    const fiveEmoji = '🍺'.repeat(5); // .length is 10
    expect(passwordProblem(fiveEmoji)).toBe('The password must be at least 10 characters.');
    expect(passwordProblem('🍺'.repeat(10))).toBeNull();
    expect(passwordProblem('🍺'.repeat(200))).toBeNull(); // .length is 400
  });

  it('accepts exactly what the JSON API schema accepts', () => {
    // Fastify validates with ajv, which counts characters the same way (its `unicode` default).
    const validate = new Ajv().compile(Password);
    const samples = ['', 'a'.repeat(9), 'a'.repeat(10), 'a'.repeat(200), 'a'.repeat(201), '🍺'.repeat(5), '🍺'.repeat(10), '🍺'.repeat(200), '🍺'.repeat(201), 'é'.repeat(10)];
    for (const value of samples) {
      expect({ value, api: validate(value) }).toEqual({ value, api: passwordProblem(value) === null });
    }
  });
});
