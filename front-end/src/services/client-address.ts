import { isIPv4, isIPv6 } from 'node:net';
import type { FastifyRequest } from 'fastify';

/**
 * Whom the front end believes about X-Forwarded-For when TRUST_PROXY is on:
 * only a peer on a loopback, link-local or private address (an ingress
 * controller, a sidecar, a proxy on the same host or network). The client's
 * address is then the right-most X-Forwarded-For entry that is not one of
 * these, which is the address the nearest trusted proxy saw connect; the
 * entries to its left were written by whoever sent the request and are
 * ignored. A request from anywhere else counts by its own socket address,
 * whatever X-Forwarded-For it carries. (Fastify's `trustProxy: true` would
 * believe the left-most entry, which any client can write.)
 */
export const TRUSTED_PROXIES = ['loopback', 'linklocal', 'uniquelocal'];

/**
 * The key failed logins are counted under for this request's client: its
 * IPv4 address, or its IPv6 address's /64, since one host is routinely given
 * a whole /64 and could otherwise try from a new address every time.
 */
export function clientKeyOf(request: FastifyRequest): string {
  const ip = request.ip;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip)?.[1];
  if (mapped && isIPv4(mapped)) return mapped;
  if (isIPv4(ip)) return ip;
  if (isIPv6(ip)) return `${ipv6Prefix64(ip)}/64`;
  // A Unix socket or something stranger: one shared key, held like any other.
  return 'unknown';
}

/** The first four groups of an IPv6 address, written out in full ("2001:db8::1" → "2001:0db8:0000:0000"). */
export function ipv6Prefix64(ip: string): string {
  const withoutZone = ip.split('%')[0] ?? ip;
  const [head = '', tail = ''] = withoutZone.split('::');
  const headGroups = head ? head.split(':') : [];
  const tailGroups = withoutZone.includes('::') && tail ? tail.split(':') : [];
  // An embedded IPv4 tail ("::ffff:1.2.3.4" forms other than the mapped one) takes two groups; only the first four matter here.
  const missing = 8 - headGroups.length - tailGroups.length;
  const groups = withoutZone.includes('::') ? [...headGroups, ...Array<string>(Math.max(missing, 0)).fill('0'), ...tailGroups] : headGroups;
  return groups
    .slice(0, 4)
    .map((g) => g.padStart(4, '0').toLowerCase())
    .join(':');
}
