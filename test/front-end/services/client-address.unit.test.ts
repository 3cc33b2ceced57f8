/** The key failed logins count under (front-end/src/services/client-address.ts). */
import { describe, expect, it } from '@jest/globals';
import type { FastifyRequest } from 'fastify';
import { clientKeyOf, ipv6Prefix64 } from '../../../front-end/src/services/client-address.js';

const from = (ip: string) => clientKeyOf({ ip } as FastifyRequest);

describe('clientKeyOf', () => {
  it('keys an IPv4 client by its address, written plainly or mapped into IPv6', () => {
    expect(from('198.51.100.7')).toBe('198.51.100.7');
    expect(from('::ffff:198.51.100.7')).toBe('198.51.100.7');
  });

  it('keys an IPv6 client by its /64, however the address is written', () => {
    expect(from('2001:db8:1:2:aaaa:bbbb:cccc:dddd')).toBe('2001:0db8:0001:0002/64');
    expect(from('2001:db8:1:2::1')).toBe('2001:0db8:0001:0002/64');
    expect(from('2001:DB8:1:2:ffff::9')).toBe('2001:0db8:0001:0002/64');
    expect(from('2001:db8::1')).toBe('2001:0db8:0000:0000/64');
    expect(from('::1')).toBe('0000:0000:0000:0000/64');
    expect(from('fe80::1%eth0')).toBe('fe80:0000:0000:0000/64');
  });

  it('puts anything else under one shared key', () => {
    expect(from('')).toBe('unknown');
    expect(from('not an address')).toBe('unknown');
  });

  it('writes the first four groups of an IPv6 address in full', () => {
    expect(ipv6Prefix64('1::')).toBe('0001:0000:0000:0000');
    expect(ipv6Prefix64('1:2:3:4:5:6:7:8')).toBe('0001:0002:0003:0004');
  });
});
