/** The front end's configuration from its environment (front-end/src/config.ts). */
import { describe, expect, it } from '@jest/globals';
import { loadConfig } from '../../front-end/src/config.js';

describe('front-end config', () => {
  it('needs a 32-byte hex session key', () => {
    expect(() => loadConfig({ AMQP_URLS: 'amqp://x', SESSION_KEY: 'short' })).toThrow(/SESSION_KEY/);
    const config = loadConfig({ AMQP_URLS: 'amqp://x', SESSION_KEY: 'ab'.repeat(32) });
    expect(config.sessionKey).toHaveLength(32);
    expect(config.port).toBe(3000);
    expect(config.cookieSecure).toBe('auto');
  });
});
