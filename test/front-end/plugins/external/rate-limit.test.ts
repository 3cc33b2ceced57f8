/** The per-address limit on the routes that take a password (front-end/src/plugins/external/rate-limit.ts). */
import { describe, expect, it } from '@jest/globals';
import { startFrontEnd } from '../../../helpers/app.js';

describe('the auth rate limit', () => {
  it('limits every route that takes a password; the API and the page count together for login, and for register', async () => {
    // The limit is checked as a request arrives, before its body or CSRF token: empty posts are enough to count.
    const limited = await startFrontEnd({ AUTH_RATE_LIMIT_PER_MINUTE: '2' });
    try {
      const client = limited.client();
      const post = async (url: string) => (await client.post(url, {}, { csrf: false })).statusCode;
      // One count for the two doors of each: two tries in all, the third refused, whichever door it takes.
      for (const [api, page] of [['/api/v1/login', '/login'], ['/api/v1/register', '/register']] as const) {
        const statuses = [await post(api), await post(page), await post(api), await post(page)];
        expect({ api, page, allowed: statuses.slice(0, 2).every((s) => s !== 429), after: statuses.slice(2) }).toEqual({ api, page, allowed: true, after: [429, 429] });
      }
      // The password changes each count on their own.
      for (const url of ['/api/v1/password', '/password']) {
        const statuses = [await post(url), await post(url), await post(url)];
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
