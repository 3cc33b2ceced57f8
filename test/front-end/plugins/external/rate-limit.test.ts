/** The per-IP limit on the routes that take a password (front-end/src/plugins/external/rate-limit.ts). */
import { describe, expect, it } from '@jest/globals';
import { startFrontEnd } from '../../../helpers/app.js';

describe('the auth rate limit', () => {
  it('limits every route that takes a password, API and pages, each route counting on its own', async () => {
    // The limit is checked as a request arrives, before its body or CSRF token: empty posts are enough to count.
    const limited = await startFrontEnd({ AUTH_RATE_LIMIT_PER_MINUTE: '2' });
    try {
      const client = limited.client();
      for (const url of ['/api/v1/login', '/api/v1/register', '/api/v1/password', '/login', '/register', '/password']) {
        const statuses = [];
        for (let i = 0; i < 3; i += 1) statuses.push((await client.post(url, {}, { csrf: false })).statusCode);
        expect({ url, allowed: statuses.slice(0, 2).every((s) => s !== 429), third: statuses[2] }).toEqual({ url, allowed: true, third: 429 });
      }
      const refused = await client.post('/api/v1/login', {}, { csrf: false });
      expect(refused.json().error.code).toBe('BB_RATE_LIMITED');
      // Routes that take no password are not limited.
      for (let i = 0; i < 3; i += 1) expect((await client.get('/api/v1/me')).statusCode).toBe(401);
    } finally {
      await limited.close();
    }
  });
});
