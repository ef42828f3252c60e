/**
 * Checks that a link attached to a news item points at a public web address.
 *
 * The server never fetches these URLs. The check keeps a published link from pointing readers'
 * browsers, or any fetcher added later, at hosts inside a network: loopback, private and
 * carrier-grade NAT ranges, link-local and cloud metadata addresses, documentation, benchmarking
 * and reserved ranges, multicast, the same in every IPv6 form (IPv4-mapped, SIIT, NAT64, 6to4)
 * and IPv6's own special ranges, and names that only resolve on a local network. It judges the
 * address as written: a public name whose DNS answer is private is not caught here, and a future
 * fetcher must resolve, check, then connect.
 *
 * Parsing is the WHATWG `URL`, which normalises the host before any check runs: decimal, octal
 * and hex IPv4 forms (`2130706433`, `0x7f.1`) become dotted quads, IPv6 becomes compressed
 * lowercase hex (`[::ffff:127.0.0.1]` becomes `[::ffff:7f00:1]`) and international names become
 * punycode, so each check sees one canonical spelling. Pure: runs on Node and on Workers.
 */

import { type Ipv4, parseIpv4, parseIpv6 } from '../../../kernel/ip.ts';

export type PublicUrlCheck =
  | { ok: true; url: string }
  | { ok: false; reason: 'not_url' | 'not_http' | 'credentials' | 'private_address' };

/** Accepts an absolute http(s) URL to a public host; `url` is the normalised `href`. */
export function checkPublicHttpUrl(raw: string): PublicUrlCheck {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, reason: 'not_url' };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return { ok: false, reason: 'not_http' };
  if (url.username !== '' || url.password !== '') return { ok: false, reason: 'credentials' };
  if (isInternalHost(url.hostname)) return { ok: false, reason: 'private_address' };
  return { ok: true, url: url.href };
}

/** Blocks of IPv4 space that are not on the public internet, as [first address, prefix length]. */
const internalIpv4Blocks: readonly { base: number; bits: number }[] = (
  [
    ['0.0.0.0', 8], // "this network"
    ['10.0.0.0', 8], // private
    ['100.64.0.0', 10], // carrier-grade NAT
    ['127.0.0.0', 8], // loopback
    ['169.254.0.0', 16], // link-local, including cloud metadata at 169.254.169.254
    ['172.16.0.0', 12], // private
    ['192.0.0.0', 24], // IETF protocol assignments
    ['192.0.2.0', 24], // documentation (TEST-NET-1)
    ['192.88.99.0', 24], // 6to4 relay anycast (deprecated)
    ['192.168.0.0', 16], // private
    ['198.18.0.0', 15], // benchmarking
    ['198.51.100.0', 24], // documentation (TEST-NET-2)
    ['203.0.113.0', 24], // documentation (TEST-NET-3)
    ['224.0.0.0', 4], // multicast
    ['240.0.0.0', 4], // reserved, and 255.255.255.255 broadcast
  ] as const
).map(([first, bits]) => ({ base: toUint32(parseIpv4(first)!), bits }));

/** Name suffixes that resolve only inside a network (RFC 6761, RFC 6762, RFC 8375, common use). */
const internalNameSuffixes = ['localhost', 'local', 'internal', 'lan', 'home.arpa'];

function isInternalHost(hostname: string): boolean {
  if (hostname.startsWith('[')) return isInternalIpv6(hostname.slice(1, -1));
  const v4 = parseIpv4(hostname);
  return v4 ? isInternalIpv4(v4) : isInternalName(hostname);
}

function isInternalName(hostname: string): boolean {
  // `localhost.` and `localhost..` resolve like `localhost`; a loop, since a regex over a long
  // run of dots would backtrack.
  let name = hostname;
  while (name.endsWith('.')) name = name.slice(0, -1);
  // A name with no dot is resolved against the local search domain (`http://intranet/`).
  if (!name.includes('.')) return true;
  return internalNameSuffixes.some((suffix) => name === suffix || name.endsWith(`.${suffix}`));
}

function toUint32([a, b, c, d]: Ipv4): number {
  return ((a << 24) | (b << 16) | (c << 8) | d) >>> 0;
}

function isInternalIpv4(address: Ipv4): boolean {
  const value = toUint32(address);
  return internalIpv4Blocks.some(({ base, bits }) => value >>> (32 - bits) === base >>> (32 - bits));
}

/**
 * Only global unicast space (2000::/3) is public, less its special-purpose blocks; an address
 * carrying an IPv4 address (mapped, SIIT, NAT64's well-known prefix, 6to4) is judged by that
 * IPv4 address. Everything else is refused: unspecified, loopback, IPv4-compatible, discard
 * (100::/64), local-use NAT64 (64:ff9b:1::/48), unique local, link-local, site-local, multicast
 * and space not yet allocated.
 */
function isInternalIpv6(text: string): boolean {
  const groups = parseIpv6(text);
  // The parser has already validated the address; anything this reader cannot follow is refused.
  if (!groups) return true;
  const embedded = embeddedIpv4(groups);
  if (embedded) return isInternalIpv4(embedded);
  const [first, second] = [groups[0]!, groups[1]!];
  if ((first & 0xe000) !== 0x2000) return true; // outside 2000::/3 global unicast
  if (first === 0x2001 && second < 0x200) return true; // 2001::/23 IETF protocol assignments (Teredo, benchmarking, ORCHID…)
  if (first === 0x2001 && second === 0xdb8) return true; // 2001:db8::/32 documentation
  if (first === 0x3fff && second < 0x1000) return true; // 3fff::/20 documentation
  return false;
}

/**
 * The IPv4 address inside an IPv4-mapped (::ffff:0:0/96), SIIT (::ffff:0:0:0/96), NAT64
 * well-known prefix (64:ff9b::/96) or 6to4 (2002::/16) address; null for any other.
 */
function embeddedIpv4(groups: readonly number[]): Ipv4 | null {
  const zeros = (from: number, to: number) => groups.slice(from, to).every((group) => group === 0);
  const quad = (high: number, low: number): Ipv4 => [high >> 8, high & 0xff, low >> 8, low & 0xff];
  if (groups[0] === 0x2002) return quad(groups[1]!, groups[2]!);
  const mapped = zeros(0, 5) && groups[5] === 0xffff;
  const siit = zeros(0, 4) && groups[4] === 0xffff && groups[5] === 0;
  const nat64 = groups[0] === 0x64 && groups[1] === 0xff9b && zeros(2, 6);
  return mapped || siit || nat64 ? quad(groups[6]!, groups[7]!) : null;
}
