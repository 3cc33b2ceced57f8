import { describe, expect, it } from '@jest/globals';
import { loadConfig } from '../../front-end/src/config.js';
import { toHttpError } from '../../front-end/src/plugins/app/error-handler.js';
import { validateForm } from '../../front-end/src/services/forms.js';
import { RegisterBody } from '../../front-end/src/routes/api/auth/schemas.js';

describe('front-end config', () => {
  it('needs a 32-byte hex session key', () => {
    expect(() => loadConfig({ AMQP_URLS: 'amqp://x', SESSION_KEY: 'short' })).toThrow(/SESSION_KEY/);
    const config = loadConfig({ AMQP_URLS: 'amqp://x', SESSION_KEY: 'ab'.repeat(32) });
    expect(config.sessionKey).toHaveLength(32);
    expect(config.port).toBe(3000);
    expect(config.cookieSecure).toBe('auto');
  });
});

describe('toHttpError', () => {
  it('turns a schema failure into a 400 naming the field', () => {
    const err = Object.assign(new Error('body/email must match format "email"'), {
      validation: [{ keyword: 'format', instancePath: '/email', params: { format: 'email' }, message: 'x', schemaPath: '' }],
    });
    expect(toHttpError(err)).toEqual({
      statusCode: 400,
      code: 'BB_VALIDATION',
      message: 'email must be a valid email address',
      field: 'email',
    });
  });

  it('hides the details of unexpected errors', () => {
    const http = toHttpError(new Error('connection string secret=abc'));
    expect(http.statusCode).toBe(500);
    expect(http.message).not.toContain('secret');
  });
});

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
