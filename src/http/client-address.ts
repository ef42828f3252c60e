/**
 * Who is asking, for the limits on guessing: the source of a request. The runtime says which
 * address the request came from (the socket's peer on Node, CF-Connecting-IP on Workers); behind
 * TRUST_PROXY reverse proxies it is the address the outermost of them saw, read from
 * X-Forwarded-For (each proxy appends the address it was reached from, so the entries before
 * theirs are whatever the client wrote and are never read). An IPv6 source is its /64, one
 * subscriber's usual allocation, so changing the interface id does not make a new source.
 */
import type { Context } from 'hono';
import { parseIpv4, parseIpv6 } from '../../kernel/ip.ts';

/** The address the runtime saw the request come from, when it knows one. */
export type PeerAddress = (c: Context) => string | undefined;

/** The source of a request: an IPv4 address, an IPv6 /64, or `unknown`. */
export type SourceOf = (c: Context) => string;

export function clientSource(peer: PeerAddress, trustedProxies: number): SourceOf {
  return (c) => {
    let address = peer(c);
    if (trustedProxies > 0) {
      const hops = (c.req.header('x-forwarded-for') ?? '')
        .split(',')
        .map((hop) => hop.trim())
        .filter((hop) => hop !== '');
      // Fewer entries than proxies: the request did not come through them all; the peer stands.
      const seen = hops.length >= trustedProxies ? hops[hops.length - trustedProxies] : undefined;
      if (seen) address = seen;
    }
    return sourceKey(address);
  };
}

/** The source an address counts as: IPv4 as written, IPv6 by its /64, anything else `unknown`. */
export function sourceKey(address: string | undefined): string {
  if (!address) return 'unknown';
  let text = address.trim();
  // A port after an IPv4 address or a bracketed IPv6 one, as some proxies write them.
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(text);
  if (bracketed) text = bracketed[1]!;
  else if (/^[\d.]+:\d+$/.test(text)) text = text.slice(0, text.indexOf(':'));
  text = text.replace(/%.*$/, '');
  if (parseIpv4(text)) return text;
  if (!text.includes(':')) return 'unknown';
  let groups: number[] | null;
  try {
    // The URL parser writes every spelling of an address one way (compressed, lowercase hex).
    groups = parseIpv6(new URL(`http://[${text}]/`).hostname.slice(1, -1));
  } catch {
    return 'unknown';
  }
  if (!groups) return 'unknown';
  // ::ffff:a.b.c.d is an IPv4 client of a dual-stack socket.
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff)
    return [groups[6]! >> 8, groups[6]! & 0xff, groups[7]! >> 8, groups[7]! & 0xff].join('.');
  return `${groups
    .slice(0, 4)
    .map((g) => g.toString(16))
    .join(':')}::/64`;
}
