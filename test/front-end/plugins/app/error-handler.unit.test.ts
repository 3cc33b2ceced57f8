/** Errors as the API answers them (front-end/src/plugins/app/error-handler.ts). */
import { describe, expect, it } from '@jest/globals';
import { toHttpError } from '../../../../front-end/src/plugins/app/error-handler.js';

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
