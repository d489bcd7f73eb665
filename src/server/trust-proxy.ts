import proxyAddr from 'proxy-addr';

/** Whether the hop at `address` (the `i`th, counting from us) may tell us who is behind it. */
export type TrustProxy = (address: string, i: number) => boolean;

/**
 * Compiles the trust-proxy setting with the semantics of express's `trust proxy`
 * (https://expressjs.com/en/guide/behind-proxies.html): `false` believes no X-Forwarded-For, `true` believes
 * all of it (only safe when nobody can reach the server except through the proxy), a number believes that
 * many hops, and a comma-separated list of addresses, subnets and proxy-addr's names (`loopback`,
 * `linklocal`, `uniquelocal`) believes exactly those proxies.
 *
 * @throws {TypeError} for anything else.
 * @example
 * const trust = compileTrustProxy('loopback, 10.0.0.0/8');
 * proxyAddr(req, trust); // the client's address
 */
export function compileTrustProxy(value: string): TrustProxy {
  const text = value.trim().toLowerCase();
  if (text === 'false') return () => false;
  if (text === 'true') return () => true;
  if (/^\d+$/.test(text)) {
    const hops = Number(text);
    if (hops < 1 || hops > 10) throw new TypeError(`A hop count is 1 to 10, got ${hops}.`);
    return (_address, i) => i < hops;
  }
  const entries = text
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  if (entries.length === 0) throw new TypeError('No proxy address given.');
  // proxy-addr throws a TypeError naming the entry it cannot read.
  return proxyAddr.compile(entries);
}

/**
 * Whether the setting believes whoever connects (`true`, a hop count) rather than named proxies: then a
 * client that reaches the server directly can write any X-Forwarded-For and pass for any address.
 */
export function trustsAnyone(value: string): boolean {
  const text = value.trim().toLowerCase();
  return text === 'true' || /^\d+$/.test(text);
}
