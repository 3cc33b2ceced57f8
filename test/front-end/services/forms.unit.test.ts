/** A page's form checked against the route's schema (front-end/src/services/forms.ts). */
import { describe, expect, it } from '@jest/globals';
import { validateForm } from '../../../front-end/src/services/forms.js';
import { RegisterBody } from '../../../front-end/src/routes/api/auth/schemas.js';

describe('validateForm', () => {
  it('gives one plain message per field', () => {
    const errors = validateForm(RegisterBody, { venueName: '', name: 'A', email: 'nope', password: 'short' });
    expect(errors).toEqual({
      venueName: 'Venue name is required.',
      email: 'Enter an email address like name@example.com.',
      password: 'Password must be at least 10 characters.',
    });
  });
});
