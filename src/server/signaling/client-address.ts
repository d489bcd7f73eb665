import type { IncomingMessage } from 'node:http';
import { isIPv6 } from 'node:net';
import proxyAddr from 'proxy-addr';
import type { TrustProxy } from '../trust-proxy.js';
import type { ParleySocket } from './types.js';

/** Each handshake's client address, worked out once when the handshake is checked. */
const addresses = new WeakMap<IncomingMessage, string>();

/**
 * The address a request comes from: the TCP peer, or, when the trust-proxy setting believes that peer, the
 * address it names in X-Forwarded-For (proxy-addr, as express does). IPv4 addresses that arrive as IPv6
 * (`::ffff:192.0.2.1`) are written as IPv4, so one host has one address.
 */
export function requestAddress(request: IncomingMessage, trust: TrustProxy): string {
  // A socket that closed already has no remote address; proxy-addr would then return undefined.
  const address = request.socket.remoteAddress === undefined ? undefined : proxyAddr(request, trust);
  return plainAddress(address ?? 'unknown');
}

/** Works out a handshake's address once, so that later lookups agree with what the handshake was judged by. */
export function rememberAddress(request: IncomingMessage, trust: TrustProxy): string {
  const address = requestAddress(request, trust);
  addresses.set(request, address);
  return address;
}

/**
 * The address a socket's requests are counted against (rate limits, password guesses): its handshake's
 * client address under the trust-proxy setting. Behind a proxy that is not trusted, that is the proxy.
 * Count with {@link addressKey}, not with this, so that one IPv6 host cannot spread over its /64.
 */
export function clientAddress(socket: ParleySocket): string {
  return addresses.get(socket.request) ?? plainAddress(socket.handshake.address);
}

/**
 * What limits per address count against: an IPv4 address, or the /64 of an IPv6 address, since one
 * IPv6 host (or home) is usually handed a whole /64 (RFC 6177) and can pick any address in it.
 *
 * @example addressKey('2001:db8:1:2:aaaa::1') // '2001:db8:1:2::/64'
 */
export function addressKey(address: string): string {
  if (!isIPv6(address)) return address;
  const groups = expandIPv6(address);
  return `${groups
    .slice(0, 4)
    .map((group) => group.replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}

function plainAddress(address: string): string {
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address);
  return (mapped?.[1] ?? address).replace(/%.*$/, '');
}

/** The eight 16-bit groups of an IPv6 address, as four hex digits each. */
function expandIPv6(address: string): string[] {
  let text = address.replace(/%.*$/, '').toLowerCase();
  // An embedded IPv4 tail (::ffff:1.2.3.4, 64:ff9b::1.2.3.4) becomes two groups.
  const v4 = /(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (v4) {
    const [a, b, c, d] = v4.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, v4.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const left = head === '' ? [] : head.split(':');
  const right = tail === undefined || tail === '' ? [] : tail.split(':');
  const missing = tail === undefined ? 0 : 8 - left.length - right.length;
  return [...left, ...Array<string>(missing).fill('0'), ...right].map((group) => group.padStart(4, '0'));
}
