import { describe, expect, it } from '@jest/globals';
import { Ajv } from 'ajv';
import { Password } from '../../../front-end/src/routes/api/auth/schemas.js';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH, checkChosenPassword, passwordProblem } from '../../../front-end/src/services/passwords.js';

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

describe('a password someone chooses, for a known owner', () => {
  const owner = { email: 'Mary.Byrne@example.ie', name: 'Mary Byrne' };
  const common = /too common or too easy to guess/;

  it('is refused when it is on the common lists or guessable: ten spaces, password12, a keyboard row', () => {
    for (const value of ['          ', 'password12', 'password123', 'qwertyuiop', '1234567890', 'iloveyou12', 'letmein2024', 'Passw0rd!!']) {
      expect({ value, problem: passwordProblem(value, 'The password', owner) }).toEqual({ value, problem: expect.stringMatching(common) });
    }
  });

  it("is refused when it is the owner's email or name, in any case and spacing", () => {
    expect(passwordProblem('mary.byrne@example.ie', 'The new password', owner)).toBe("The new password must not be the account's email address.");
    expect(passwordProblem(' mary BYRNE the third ', 'The password', { ...owner, name: 'Mary Byrne the Third' })).toBe(
      "The password must not be the account's name.",
    );
    // Built from the owner's own details: guessable from them.
    expect(passwordProblem('marybyrne1', 'The password', owner)).toMatch(common);
  });

  it('takes a phrase of unrelated words, and leaves the length-only rule alone without an owner', () => {
    for (const value of ['correct horse battery staple', 'a whole new password', 'rules test password', 'Summer in Galway 99']) {
      expect({ value, problem: passwordProblem(value, 'The password', owner) }).toEqual({ value, problem: null });
    }
    expect(passwordProblem('password12')).toBeNull();
  });

  it('answers a refusal as a 400 naming the field, so the API and the forms show it beside it', () => {
    expect(() => checkChosenPassword('password12', owner, 'newPassword')).toThrow(expect.objectContaining({ code: 'BB_VALIDATION', statusCode: 400, field: 'newPassword' }));
    expect(() => checkChosenPassword('a long and unusual phrase', owner, 'password')).not.toThrow();
  });

  it('scores only the first 32 characters (zxcvbn’s time grows with the length: the measurement is in the source)', () => {
    // A run of one digit is refused however unusual what follows it past the 32nd character...
    const tail = ' then Quixotic zebras vault 97 ochre fjords';
    expect(passwordProblem('1'.repeat(32) + tail, 'The password', owner)).not.toBeNull();
    // ...and the same tail inside the first 32 characters makes it strong: the cut, not the tail, decided.
    expect(passwordProblem('1'.repeat(4) + tail, 'The password', owner)).toBeNull();
  });
});
